"""What the bot's own notices look like, rendered in the recipient's language when sent.

Each outbox message key has one renderer here; parameters are plain JSON data.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.dates import format_datetime

from bot.i18n import pick
from bot.outbox import Rendered, Renderer
from handlers.broadcast_views import render_announcement
from handlers.callbacks import HoursFromShift, PlaceCancel, ReminderAnswer
from handlers.event_notices import EVENT_RENDERERS
from handlers.hours_notices import HOURS_RENDERERS


def _staff_appointed(params: dict[str, Any]) -> Rendered:
    if params.get("role") == "admin":
        return Rendered(_("You have been appointed admin of the volunteering programme."))
    i18n = get_i18n()
    titles = [
        html.escape(pick(title, i18n.current_locale, i18n.default_locale))
        for title in params.get("projects", [])
    ]
    return Rendered(
        _("You have been appointed tutor of: {projects}.").format(projects=", ".join(titles))
    )


def _shift_promoted(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    text = _(
        "Good news: a place has become free on <b>{title}</b>, {when}, and it is yours. "
        "If you cannot come, decline so that the next person gets it."
    ).format(title=title, when=start)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("I can't come"), callback_data=PlaceCancel(shift_id=params["shift_id"]))
    return Rendered(text, builder.as_markup())


def _shift_cancelled(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    return Rendered(
        _(
            "The shift of <b>{title}</b> on {when} has been cancelled. Your place is freed; "
            "find another shift with /volunteer."
        ).format(title=title, when=start)
    )


def _shift_changed(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    return Rendered(
        _(
            "The shift of <b>{title}</b> has changed: it is now on {when}. Your place is kept; "
            "if you can no longer come, cancel it in /shifts."
        ).format(title=title, when=start)
    )


def _shift_reminder(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    text = _("⏰ Reminder: your shift of <b>{title}</b> is on {when}.").format(
        title=title, when=start
    )
    if params.get("place"):
        i18n = get_i18n()
        place = html.escape(pick(params["place"], i18n.current_locale, i18n.default_locale))
        text += "\n" + _("Where: {place}").format(place=place)
    builder = InlineKeyboardBuilder()
    shift_id = params["shift_id"]
    builder.button(
        text=_("I'll be there"), callback_data=ReminderAnswer(answer="yes", shift_id=shift_id)
    )
    builder.button(
        text=_("I can't come"), callback_data=ReminderAnswer(answer="no", shift_id=shift_id)
    )
    return Rendered(text, builder.as_markup())


def _hours_nudge(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    text = _(
        "Thank you for the shift of <b>{title}</b> on {when}. Log your hours with one tap."
    ).format(title=title, when=start)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("⏱ Log my hours"), callback_data=HoursFromShift(shift_id=params["shift_id"])
    )
    return Rendered(text, builder.as_markup())


def _title_and_start(params: dict[str, Any]) -> tuple[str, str]:
    i18n = get_i18n()
    locale = i18n.current_locale
    zone = ZoneInfo(str(params["zone"]))
    start = datetime.fromisoformat(str(params["start"])).astimezone(zone)
    title = html.escape(pick(params["title"], locale, i18n.default_locale))
    return title, format_datetime(start, "EEEE d MMMM, HH:mm", locale=locale)


def _tutor_message(params: dict[str, Any]) -> Rendered:
    text = html.escape(str(params["text"]))
    return Rendered(_("✉️ A message from your tutor:") + "\n\n" + text)


RENDERERS: dict[str, Renderer] = {
    "shift.tutor_message": _tutor_message,
    "shift.cancelled": _shift_cancelled,
    "shift.changed": _shift_changed,
    "shift.promoted": _shift_promoted,
    "shift.reminder": _shift_reminder,
    "hours.nudge": _hours_nudge,
    "staff.appointed": _staff_appointed,
    "announcement": render_announcement,
    **EVENT_RENDERERS,
    **HOURS_RENDERERS,
}
