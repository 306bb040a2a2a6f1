"""The button /staff shows to open the Mini App."""

from __future__ import annotations

from bot.runtime.app import create_i18n
from handlers.shared.mini_app import mini_app_button
from tests.webapp.signed import bot_settings


def test_the_button_opens_the_mini_app_in_the_staff_members_language() -> None:
    settings = bot_settings(public_base_url="https://bot.example.org/app")
    with create_i18n(settings).context():
        italian = mini_app_button(settings, "it")
        english = mini_app_button(settings, "en")
    assert italian is not None and english is not None
    assert italian.text == "Apri l'area staff" and english.text == "Open the staff app"
    assert italian.web_app is not None and italian.web_app.url == "https://bot.example.org/app/"


def test_without_public_base_url_there_is_no_button() -> None:
    assert mini_app_button(bot_settings(), "it") is None
