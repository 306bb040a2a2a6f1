"""How projects, shifts and places look in a message."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.i18n import ngettext
from babel.dates import format_datetime, format_time

from bot.i18n import near_span, pick
from bot.services.volunteering.projects import ProjectCard
from bot.services.volunteering.shifts import OpenShift, Place, ShiftInfo
from storage.models import SignupStatus

# cache: a constant lookup table, only read
THEMES = {
    "prossimita": __("Proximity"),
    "sostenibilita": __("Sustainability"),
    "greenway": __("Greenways"),
    "spazi-pubblici": __("Public spaces"),
    "digitale": __("Digital"),
}


# A card names this many tutors at most, so that it fits in one message however many.
TUTORS_SHOWN = 8


def theme_name(code: str) -> str:
    name = THEMES.get(code)
    return str(name) if name is not None else code


def when(shift: ShiftInfo, locale: str, zone: ZoneInfo) -> str:
    start = format_datetime(shift.start_at.astimezone(zone), "EEE d MMM, HH:mm", locale=locale)
    end = format_time(shift.end_at.astimezone(zone), "HH:mm", locale=locale)
    return f"{start}–{end}"


def near_or_when(shift: ShiftInfo, locale: str, zone: ZoneInfo, now: datetime | None) -> str:
    """ "tomorrow at 9:00, until 12:00" for a shift of today or tomorrow, else its dates."""
    near = None if now is None else near_span(shift.start_at, shift.end_at, now, locale, zone)
    return near or when(shift, locale, zone)


def free_places(shift: OpenShift) -> str:
    if shift.started:
        return _("started")
    if shift.free == 0:
        return _("full, waitlist open")
    return ngettext(
        "{free} of {capacity} place left",
        "{free} of {capacity} places left",
        shift.free,
    ).format(free=shift.free, capacity=shift.info.capacity)


def card_text(card: ProjectCard, locale: str, default: str, zone: ZoneInfo) -> str:
    lines = [
        f"<b>{html.escape(pick(card.title, locale, default))}</b>",
        _("Theme: {theme}").format(theme=html.escape(theme_name(card.theme))),
        "",
        html.escape(pick(card.description, locale, default)),
        "",
    ]
    if card.hub_name:
        lines.append(_("Where: {hub}").format(hub=html.escape(card.hub_name)))
    tutors = [html.escape(name) if name else _("a tutor") for name in card.tutors]
    shown, more = ", ".join(tutors[:TUTORS_SHOWN]), len(tutors) - TUTORS_SHOWN
    if more > 0:
        lines.append(
            ngettext(
                "Tutors: {names} and {count} more", "Tutors: {names} and {count} more", more
            ).format(names=shown, count=more)
        )
    elif tutors:
        lines.append(_("Tutors: {names}").format(names=shown))
    lines += ["", _("<b>Next shifts</b>")]
    if not card.shifts:
        lines.append(_("No shifts are planned at the moment."))
    for shift in card.shifts:
        lines.append(f"• {when(shift.info, locale, zone)} · {free_places(shift)}")
    return "\n".join(lines)


def where_text(shift: ShiftInfo, locale: str, default: str) -> str:
    """The place of a shift, its hub and the hub's address, as the reminders say it."""
    place = html.escape(pick(shift.place, locale, default)) if shift.place else ""
    hub = shift.hub
    if hub is None:
        return place
    name, address = html.escape(hub.name), html.escape(hub.address)
    if place:
        return _("Where: {place}, {hub}, {address}").format(place=place, hub=name, address=address)
    return _("Where: {hub}, {address}").format(hub=name, address=address)


def place_text(
    place: Place, locale: str, default: str, zone: ZoneInfo, now: datetime | None = None
) -> str:
    """A place on a shift; with `now`, a shift of today or tomorrow says so in words."""
    title = html.escape(pick(place.shift.project_title, locale, default))
    line = f"<b>{title}</b>\n{near_or_when(place.shift, locale, zone, now)}"
    where = where_text(place.shift, locale, default)
    if where:
        line += "\n" + where
    if place.status == SignupStatus.CONFIRMED:
        return line + "\n" + _("✅ Your place is confirmed.")
    return (
        line + "\n" + _("⏳ On the waitlist, position {position}.").format(position=place.position)
    )
