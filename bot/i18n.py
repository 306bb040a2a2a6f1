"""Languages: which one a user gets, and Babel formatting of dates, numbers and distances."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from bot.settings import SUPPORTED_LOCALES
from locales import locales_dir

__all__ = [
    "SUPPORTED_LOCALES",
    "format_distance",
    "format_local_date",
    "format_local_datetime",
    "format_local_time",
    "locales_dir",
    "pick",
    "resolve_locale",
]


def resolve_locale(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The user's choice, else their Telegram language when supported, else the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-")[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
    return default


def pick(translations: dict[str, str] | None, locale: str, default: str) -> str:
    """A translatable catalog field in the user's language, falling back sensibly."""
    if not translations:
        return ""
    for key in (locale, default, "*"):
        if key in translations:
            return translations[key]
    return next(iter(translations.values()))


def format_local_datetime(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(zone), "medium", locale=locale)


def format_local_date(moment: datetime, locale: str, zone: ZoneInfo, form: str = "full") -> str:
    return format_date(moment.astimezone(zone).date(), form, locale=locale)


def format_local_time(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    return format_time(moment.astimezone(zone), "short", locale=locale)


def format_distance(meters: float, locale: str) -> str:
    if meters < 1000:
        return _metres(round(meters / 10) * 10, locale)
    return _kilometres(round(meters / 1000, 1), locale)


# Distances are shown rounded, so a few thousand strings cover a city: Babel runs once each.
@lru_cache(maxsize=4096)
def _metres(value: int, locale: str) -> str:
    return f"{format_decimal(value, locale=locale)} m"


@lru_cache(maxsize=4096)
def _kilometres(value: float, locale: str) -> str:
    return f"{format_decimal(value, format='#,##0.0', locale=locale)} km"
