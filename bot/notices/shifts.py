"""The notices about shifts and staff: promotion, changes, reminders, the nudge to log hours."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.notices import buttons
from bot.notices.buttons import button, markup
from bot.notices.i18n import _, current_locale, picked
from bot.outbox.rendered import Rendered, Renderer
from storage.models import StaffRole


def _staff_appointed(params: dict[str, Any]) -> Rendered:
    if params.get("role") == StaffRole.ADMIN:
        return Rendered(_("You have been appointed admin of the volunteering programme."))
    titles = [picked(title) for title in params.get("projects", [])]
    return Rendered(
        _("You have been appointed tutor of: {projects}.").format(projects=", ".join(titles))
    )


def _shift_promoted(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    text = _(
        "Good news: a place has become free on <b>{title}</b>, {when}, and it is yours. "
        "If you cannot come, decline so that the next person gets it."
    ).format(title=title, when=start)
    cancel = buttons.place_cancel(shift_id=params["shift_id"])
    return Rendered(text, markup([[button(_("I can't come"), cancel)]]))


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
        text += "\n" + _("Where: {place}").format(place=picked(params["place"]))
    shift_id = params["shift_id"]
    answers = [
        button(_("I'll be there"), buttons.reminder_answer(answer="yes", shift_id=shift_id)),
        button(_("I can't come"), buttons.reminder_answer(answer="no", shift_id=shift_id)),
    ]
    return Rendered(text, markup([answers]))


def _hours_nudge(params: dict[str, Any]) -> Rendered:
    title, start = _title_and_start(params)
    text = _(
        "Thank you for the shift of <b>{title}</b> on {when}. Log your hours with one tap."
    ).format(title=title, when=start)
    log_hours = buttons.hours_from_shift(shift_id=params["shift_id"])
    return Rendered(text, markup([[button(_("⏱ Log my hours"), log_hours)]]))


def _title_and_start(params: dict[str, Any]) -> tuple[str, str]:
    zone = ZoneInfo(str(params["zone"]))
    start = datetime.fromisoformat(str(params["start"])).astimezone(zone)
    when = format_datetime(start, "EEEE d MMMM, HH:mm", locale=current_locale())
    return picked(params["title"]), when


def _tutor_message(params: dict[str, Any]) -> Rendered:
    text = html.escape(str(params["text"]))
    return Rendered(_("✉️ A message from your tutor:") + "\n\n" + text)


# cache: the renderer registry, filled at import and only read
SHIFT_RENDERERS: dict[str, Renderer] = {
    "shift.tutor_message": _tutor_message,
    "shift.cancelled": _shift_cancelled,
    "shift.changed": _shift_changed,
    "shift.promoted": _shift_promoted,
    "shift.reminder": _shift_reminder,
    "hours.nudge": _hours_nudge,
    "staff.appointed": _staff_appointed,
}
