"""Retention periods as /privacy says them: whole years in years, the rest in days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import locales_dir
from handlers.privacy.periods import retention_text


@pytest.mark.parametrize(
    ("days", "locale", "said"),
    [
        (730, "it", "2 anni"),
        (365, "it", "1 anno"),
        (30, "it", "30 giorni"),
        (1, "it", "1 giorno"),
        (5 * 365, "en", "5 years"),
        (400, "en", "400 days"),
    ],
)
def test_a_retention_period_is_said_in_years_when_it_is_whole_years(
    days: int, locale: str, said: str
) -> None:
    i18n = I18n(path=locales_dir(), default_locale="it", domain="messages")
    with i18n.context(), i18n.use_locale(locale):
        assert retention_text(timedelta(days=days)) == said
