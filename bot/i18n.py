"""Languages: which one a user gets, Babel formatting of dates, numbers and distances, and
gettext without aiogram for what the bot says on its own (rendered inside `use_locale`)."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from bot.settings import SUPPORTED_LOCALES
from locales import locales_dir

__all__ = [
    "SUPPORTED_LOCALES",
    "babel_locale",
    "current_locale",
    "day_text",
    "default_locale",
    "duration_text",
    "event_when",
    "format_distance",
    "format_local_date",
    "format_local_datetime",
    "format_local_time",
    "gettext",
    "locales_dir",
    "near_span",
    "near_when",
    "ngettext",
    "pick",
    "rendering_now",
    "resolve_locale",
    "title_text",
    "use_locale",
]

DOMAIN = "messages"
# (current, default); outside any use_locale the programme's own default applies.
_LOCALE: ContextVar[tuple[str, str]] = ContextVar("notice_locale", default=("it", "it"))
# The moment a notice is rendered (the sender's clock), for "in 2 hours"; None outside one.
_NOW: ContextVar[datetime | None] = ContextVar("notice_now", default=None)


def resolve_locale(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The user's choice, else their Telegram language when supported, else the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-")[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
    return default


# English is written in one style, the British one: 24-hour times and "1 December 2026".
_BABEL_LOCALES: Mapping[str, str] = MappingProxyType({"en": "en_GB"})


def babel_locale(locale: str) -> str:
    """The Babel locale that formats dates, times and numbers for a catalog language."""
    return _BABEL_LOCALES.get(locale, locale)


def pick(translations: dict[str, str] | None, locale: str, default: str) -> str:
    """A translatable catalog field in the user's language, falling back sensibly."""
    if not translations:
        return ""
    for key in (locale, default, "*"):
        if key in translations:
            return translations[key]
    return next(iter(translations.values()))


def format_local_datetime(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(zone), "medium", locale=babel_locale(locale))


def format_local_date(moment: datetime, locale: str, zone: ZoneInfo, form: str = "full") -> str:
    return format_date(moment.astimezone(zone).date(), form, locale=babel_locale(locale))


def format_local_time(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    return format_time(moment.astimezone(zone), "short", locale=babel_locale(locale))


def format_distance(meters: float, locale: str) -> str:
    if meters < 1000:
        return _metres(round(meters / 10) * 10, locale)
    return _kilometres(round(meters / 1000, 1), locale)


# Distances are shown rounded, so a few thousand strings cover a city: Babel runs once each.
@lru_cache(maxsize=4096)
def _metres(value: int, locale: str) -> str:
    return f"{format_decimal(value, locale=babel_locale(locale))} m"


@lru_cache(maxsize=4096)
def _kilometres(value: float, locale: str) -> str:
    return f"{format_decimal(value, format='#,##0.0', locale=babel_locale(locale))} km"


@cache
def _catalog(locale: str) -> NullTranslations:
    if locale not in SUPPORTED_LOCALES:
        return NullTranslations()
    return Translations.load(str(locales_dir()), [locale], DOMAIN)


@contextmanager
def use_locale(locale: str, default: str, now: datetime | None = None) -> Iterator[None]:
    """Renders what is said inside in `locale`, catalog texts falling back to `default`, and
    near times relative to `now` when given."""
    token = _LOCALE.set((locale, default))
    moment = _NOW.set(now)
    try:
        yield
    finally:
        _NOW.reset(moment)
        _LOCALE.reset(token)


def rendering_now() -> datetime | None:
    return _NOW.get()


def current_locale() -> str:
    return _LOCALE.get()[0]


def default_locale() -> str:
    return _LOCALE.get()[1]


def gettext(message: str) -> str:
    return _catalog(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(current_locale()).ngettext(singular, plural, count)


def event_when(start: datetime, end: datetime, locale: str, zone: ZoneInfo) -> str:
    """ "Sunday 6 December, 10:00–12:00" in the user's language and the programme's zone."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    first = format_datetime(start, "EEEE d MMMM, HH:mm", locale=babel_locale(locale))
    if end.date() == start.date():
        return f"{first}–{format_time(end, 'HH:mm', locale=babel_locale(locale))}"
    return f"{first} – {format_datetime(end, 'EEEE d MMMM, HH:mm', locale=babel_locale(locale))}"


def near_when(moment: datetime, now: datetime, locale: str, zone: ZoneInfo) -> str:
    """When, as a person says it: "today at 22:38, in 2 hours", "tomorrow at 9:00",
    "on Sunday 6 December at 10:00" (Italian "oggi alle 22:38, tra 2 ore", "domani alle 9:00",
    "domenica 6 dicembre alle 10:00"), in the programme's zone."""
    local = moment.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    catalog = _catalog(locale)
    clock = format_time(local, "H:mm", locale=locale)
    # Counted by the hour, so that Italian says "all'1:00" and "alle 2:00".
    hour = local.hour
    if days == 0 and local > now:
        return catalog.ngettext(
            "today at {time}, {in_how_long}", "today at {time}, {in_how_long}", hour
        ).format(time=clock, in_how_long=_in_how_long(local - now, locale))
    if days == 0:
        return catalog.ngettext("today at {time}", "today at {time}", hour).format(time=clock)
    if days == 1:
        return catalog.ngettext("tomorrow at {time}", "tomorrow at {time}", hour).format(time=clock)
    if days == -1:
        return catalog.ngettext("yesterday at {time}", "yesterday at {time}", hour).format(
            time=clock
        )
    day = format_date(local.date(), "EEEE d MMMM", locale=locale)
    return catalog.ngettext("on {day} at {time}", "on {day} at {time}", hour).format(
        day=day, time=clock
    )


def near_span(
    start: datetime, end: datetime, now: datetime, locale: str, zone: ZoneInfo
) -> str | None:
    """ "tomorrow at 9:00, until 12:00" for something of today or tomorrow that ends the
    same day; None otherwise, for the caller's usual dates."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    days = (local_start.date() - now.astimezone(zone).date()).days
    if days not in (0, 1) or local_end.date() != local_start.date():
        return None
    # Counted by the hour, so that Italian says "fino all'1:00" and "fino alle 12:00".
    return (
        _catalog(locale)
        .ngettext("{when}, until {end}", "{when}, until {end}", local_end.hour)
        .format(
            when=near_when(start, now, locale, zone),
            end=format_time(local_end, "H:mm", locale=locale),
        )
    )


def _in_how_long(delta: timedelta, locale: str) -> str:
    return format_timedelta(delta, add_direction=True, locale=locale)


def duration_text(minutes: int, locale: str) -> str:
    """`2 h 30 min`, `1.250 h` in Italian, `45 min`: hours grouped as the language does."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    text = f"{format_decimal(hours, locale=babel_locale(locale))} h"
    return f"{text} {rest} min" if rest else text


def day_text(day: date, locale: str) -> str:
    return format_date(day, "EEE d MMM yyyy", locale=babel_locale(locale))


def title_text(title: dict[str, str] | None, locale: str, default: str) -> str:
    """A catalog text (a title, a place) in the given language, escaped for HTML."""
    return html.escape(pick(title, locale, default))
