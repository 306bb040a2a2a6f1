"""The button that opens the staff Mini App, for /staff (where PUBLIC_BASE_URL is set)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, WebAppInfo
from aiogram.utils.i18n import gettext as _

from bot.settings import Settings


def mini_app_button(settings: Settings, locale: str) -> InlineKeyboardButton | None:
    """ "Open the staff app" in `locale`; None when the bot serves no Mini App."""
    if settings.mini_app_path is None or settings.public_base_url is None:
        return None
    url = settings.public_base_url + "/"
    return InlineKeyboardButton(
        text=_("Open the staff app", locale=locale), web_app=WebAppInfo(url=url)
    )
