"""Retention periods in words: whole years as years ("2 years"), anything else in days."""

from __future__ import annotations

from datetime import timedelta

from aiogram.utils.i18n import ngettext

DAYS_IN_A_YEAR = 365


def retention_text(period: timedelta) -> str:
    years, rest = divmod(period.days, DAYS_IN_A_YEAR)
    if years and not rest:
        return ngettext("{count} year", "{count} years", years).format(count=years)
    return ngettext("{count} day", "{count} days", period.days).format(count=period.days)
