"""Dates, times and hours as people read them, shared by the notices and the handlers."""

from __future__ import annotations

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from bot.i18n import pick
from storage.types import Translations


def event_when(start: datetime, end: datetime, locale: str, zone: ZoneInfo) -> str:
    """ "Sunday 6 December, 10:00–12:00" in the user's language and the programme's zone."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    first = format_datetime(start, "EEEE d MMMM, HH:mm", locale=locale)
    if end.date() == start.date():
        return f"{first}–{format_time(end, 'HH:mm', locale=locale)}"
    return f"{first} – {format_datetime(end, 'EEEE d MMMM, HH:mm', locale=locale)}"


def hours_text(minutes: int, locale: str) -> str:
    """`2 h 30 min`, `1.250 h` in Italian, `45 min`: hours grouped as the language does."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    text = f"{format_decimal(hours, locale=locale)} h"
    return f"{text} {rest} min" if rest else text


def day_text(day: date, locale: str) -> str:
    return format_date(day, "EEE d MMM yyyy", locale=locale)


def title_text(title: Translations | None, locale: str, default: str) -> str:
    """A catalog text (a title, a place) in the given language, escaped for HTML."""
    return html.escape(pick(title, locale, default))
