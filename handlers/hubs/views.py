"""How hubs look in a message: lists, cards and the week's opening hours."""

from __future__ import annotations

import html
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_time

from bot.i18n import babel_locale, format_distance, near_when, pick
from bot.services.hubs.finder import HubCard, HubDetails
from bot.services.hubs.opening import DayHours, Interval


def opening_text(day: DayHours, locale: str) -> str:
    if day.closed:
        return _("closed")
    if day.all_day:
        return _("open 24 hours")
    return _spans_text(day.intervals, locale)


# Enough for any real timetable; more would push the week past a message's length.
SPANS_SHOWN = 6
# A list of hubs repeats each one's services: past this many characters they are cut there
# (the hub's own card lists them all).
SERVICES_IN_LIST = 200


# Hubs share a handful of timetables: each is formatted by Babel once per language.
@lru_cache(maxsize=1024)
def _spans_text(intervals: tuple[Interval, ...], locale: str) -> str:
    spans = [
        f"{format_time(span.start, 'short', locale=babel_locale(locale))}–"
        f"{format_time(span.end, 'short', locale=babel_locale(locale))}"
        for span in intervals[:SPANS_SHOWN]
    ]
    return ", ".join(spans) + (", …" if len(intervals) > SPANS_SHOWN else "")


def status_line(card: HubCard, locale: str, default: str) -> str:
    if card.closed_until is not None:
        return _closure_line(card, card.closed_until, locale, default)
    if card.open_now:
        today = opening_text(card.today, locale)
        return _("{state} · today: {hours}").format(state=_("🟢 Open now"), hours=today)
    reopens, now = card.reopens_at, card.as_of
    if reopens is None or now is None or not isinstance(reopens.tzinfo, ZoneInfo):
        today = opening_text(card.today, locale)
        return _("{state} · today: {hours}").format(state=_("🔴 Closed now"), hours=today)
    when = near_when(reopens, now, locale, reopens.tzinfo)
    return _("🔴 Closed now · opens {when}").format(when=when)


def _closure_line(card: HubCard, last_day: date, locale: str, default: str) -> str:
    """ "Closed until Tuesday 6 January · reopens on Wednesday 7 January at 9:00 · note"."""
    until = format_date(last_day, "EEEE d MMMM", locale=babel_locale(locale))
    note = pick(card.closure_note, locale, default) if card.closure_note else None
    reopens, now = card.reopens_at, card.as_of
    if reopens is None or now is None or not isinstance(reopens.tzinfo, ZoneInfo):
        if note:
            return _("🔴 Closed until {day} · {note}").format(day=until, note=html.escape(note))
        return _("🔴 Closed until {day}").format(day=until)
    when = near_when(reopens, now, locale, reopens.tzinfo)
    if note:
        return _("🔴 Closed until {day} · reopens {when} · {note}").format(
            day=until, when=when, note=html.escape(note)
        )
    return _("🔴 Closed until {day} · reopens {when}").format(day=until, when=when)


def services_text(card: HubCard, locale: str, default: str, limit: int | None = None) -> str:
    names = [pick(name, locale, default) for name in card.services]
    text = ", ".join(sorted(names, key=str.casefold))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text) or _("no services listed")


def card_text(number: int, card: HubCard, locale: str, default: str) -> str:
    title = f"{number}. <b>{html.escape(card.name)}</b>"
    if card.distance_m is not None:
        title += f" – {format_distance(card.distance_m, locale)}"
    return "\n".join(
        (
            title,
            f"   {html.escape(card.address)}",
            f"   {status_line(card, locale, default)}",
            f"   {services_text(card, locale, default, SERVICES_IN_LIST)}",
        )
    )


def list_text(heading: str, cards: list[HubCard], first: int, locale: str, default: str) -> str:
    parts = [heading]
    parts += [card_text(first + n, card, locale, default) for n, card in enumerate(cards)]
    return "\n\n".join(parts)


def details_text(details: HubDetails, locale: str, default: str) -> str:
    card = details.card
    lines = [
        f"<b>{html.escape(card.name)}</b>",
        html.escape(card.address),
        _("Quartiere: {quartiere}").format(quartiere=html.escape(card.quartiere)),
    ]
    if card.phone:
        lines.append(_("Phone: {phone}").format(phone=html.escape(card.phone)))
    if card.email:
        lines.append(_("Email: {email}").format(email=html.escape(card.email)))
    lines += ["", status_line(card, locale, default), "", _("<b>Services</b>")]
    lines.append(services_text(card, locale, default))
    lines += ["", _("<b>Opening hours</b>")]
    for day in details.week:
        name = format_date(day.day, "EEEE d MMM", locale=locale)
        lines.append(f"{name}: {opening_text(day, locale)}")
    return "\n".join(lines)
