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
from handlers.callbacks import PlaceCancel


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
    "staff.appointed": _staff_appointed,
}
