"""The notices about shifts and staff: promotion, changes, reminders, the nudge to log hours."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import current_locale, near_when, ngettext, rendering_now
from bot.i18n import gettext as _
from bot.notices import buttons
from bot.notices.buttons import button, markup
from bot.notices.i18n import picked
from bot.notices.places import map_markup, map_row, where_text
from bot.notices.registry import Notice
from bot.outbox.queue import NORMAL, URGENT
from bot.outbox.rendered import Rendered
from storage.models import StaffRole

# An appointment names this many projects at most, so that it fits in one message.
PROJECTS_NAMED = 10


def _staff_appointed(params: dict[str, Any]) -> Rendered:
    role = params.get("role")
    if role == StaffRole.ADMIN:
        return Rendered(_("You have been appointed admin of the volunteering programme."))
    # Codes as the operator typed them: the catalog has no offices, Consulte or desks yet.
    codes = html.escape(", ".join(params.get("scopes", [])))
    if role == StaffRole.OFFICE:
        return Rendered(
            _("You have been added to the staff of the office: {codes}.").format(codes=codes)
        )
    if role == StaffRole.SECRETARY:
        return Rendered(
            _("You have been appointed secretary of the Consulta: {codes}.").format(codes=codes)
        )
    if role == StaffRole.DESK:
        return Rendered(
            _("You have been appointed operator of the hub desk: {codes}.").format(codes=codes)
        )
    titles = [picked(title) for title in params.get("projects", [])]
    shown, more = ", ".join(titles[:PROJECTS_NAMED]), len(titles) - PROJECTS_NAMED
    if more > 0:
        return Rendered(
            ngettext(
                "You have been appointed tutor of: {projects} and {count} more.",
                "You have been appointed tutor of: {projects} and {count} more.",
                more,
            ).format(projects=shown, count=more)
        )
    return Rendered(_("You have been appointed tutor of: {projects}.").format(projects=shown))


def _shift_promoted(params: dict[str, Any]) -> Rendered:
    title, when = picked(params["title"]), _near_start(params)
    shift_id = int(params["shift_id"])
    if params.get("late"):
        # Close to the start: asked whether they still want it; silence keeps the place.
        text = _(
            "Good news: a place has become free on <b>{title}</b>, {when}, and it is yours. "
            "It is soon: do you still want it? If you do not answer, the place stays yours."
        ).format(title=title, when=when)
        # The answers of a reminder: "yes" keeps the place, "no" gives it to the next.
        answers = [
            button(_("✅ Yes, I'll come"), buttons.reminder_answer("yes", shift_id)),
            button(_("↪️ No, pass it on"), buttons.reminder_answer("no", shift_id)),
        ]
    else:
        text = _(
            "Good news: a place has become free on <b>{title}</b>, {when}, and it is yours. "
            "If you cannot come, decline so that the next person gets it."
        ).format(title=title, when=when)
        answers = [button(_("I can't come"), buttons.place_leave("ask", shift_id, "notice"))]
    return Rendered(_with_where(text, params), markup([answers, map_row(params.get("hub"))]))


def _shift_cancelled(params: dict[str, Any]) -> Rendered:
    text = _(
        "The shift of <b>{title}</b>, {when}, has been cancelled. Your place is freed; "
        "find another shift with /volunteer."
    ).format(title=picked(params["title"]), when=_near_start(params))
    return Rendered(_with_where(text, params), map_markup(params.get("hub")))


def _shift_changed(params: dict[str, Any]) -> Rendered:
    text = _(
        "The shift of <b>{title}</b> has changed: it is now {when}. Your place is kept; "
        "if you can no longer come, cancel it in /shifts."
    ).format(title=picked(params["title"]), when=_near_start(params))
    return Rendered(_with_where(text, params), map_markup(params.get("hub")))


def _with_where(text: str, params: dict[str, Any]) -> str:
    """The notice's text, then where: the place, the hub and its address (when known)."""
    where = where_text(picked(params.get("place")), params.get("hub"))
    return text + "\n" + where if where else text


def _shift_reminder(params: dict[str, Any]) -> Rendered:
    title = picked(params["title"])
    text = _("⏰ Reminder: your shift of <b>{title}</b> is {when}.").format(
        title=title, when=_near_start(params)
    )
    shift_id = params["shift_id"]
    answers = [
        button(_("I'll be there"), buttons.reminder_answer(answer="yes", shift_id=shift_id)),
        # Asks first, as leaving from /shifts does: the place may go to someone else at once.
        button(_("I can't come"), buttons.place_leave("ask", shift_id, "notice")),
    ]
    return Rendered(_with_where(text, params), markup([answers, map_row(params.get("hub"))]))


def _near_start(params: dict[str, Any]) -> str:
    """ "today at 22:38, in 2 hours" when sent; the full date when rendered outside sending."""
    zone = ZoneInfo(str(params["zone"]))
    start = datetime.fromisoformat(str(params["start"]))
    now = rendering_now()
    if now is None:
        return _("on {day}").format(day=_title_and_start(params)[1])
    return near_when(start, now, current_locale(), zone)


def _hours_nudge(params: dict[str, Any]) -> Rendered:
    text = _(
        "Thank you for the shift of <b>{title}</b>, {when}. Log your hours with one tap."
    ).format(title=picked(params["title"]), when=_near_start(params))
    log_hours = buttons.hours_from_shift(shift_id=params["shift_id"])
    rows = [[button(_("⏱ Log my hours"), log_hours)], map_row(params.get("hub"))]
    return Rendered(_with_where(text, params), markup(rows))


def _title_and_start(params: dict[str, Any]) -> tuple[str, str]:
    zone = ZoneInfo(str(params["zone"]))
    start = datetime.fromisoformat(str(params["start"])).astimezone(zone)
    when = format_datetime(start, "EEEE d MMMM, HH:mm", locale=current_locale())
    return picked(params["title"]), when


def _tutor_message(params: dict[str, Any]) -> Rendered:
    if not params.get("html"):  # queued before messages kept their formatting
        text = html.escape(str(params["text"]))
        return Rendered(_("✉️ A message from your tutor:") + "\n\n" + text)
    title, when = _title_and_start(params)
    heading = _("✉️ {tutor}, tutor of <b>{title}</b>, about the shift of {when}:").format(
        tutor=html.escape(str(params.get("tutor") or "")), title=title, when=when
    )
    # Already Telegram HTML: the tutor's own formatting, escaped by the bot when received.
    text = heading + "\n\n" + str(params["text"])
    if not params.get("tutor_id"):
        return Rendered(text)
    label = _("↩️ Reply to {tutor}").format(tutor=str(params.get("tutor") or "")[:32])
    reply = buttons.shift_reply(int(params["shift_id"]), int(params["tutor_id"]))
    return Rendered(text, markup([[button(label, reply)]]))


def _volunteer_reply(params: dict[str, Any]) -> Rendered:
    title, when = _title_and_start(params)
    heading = _("💬 {name} replies about <b>{title}</b>, {when}:").format(
        name=html.escape(str(params.get("volunteer") or "")), title=title, when=when
    )
    return Rendered(heading + "\n\n" + str(params["text"]))


def _volunteer_reply_key(shift_id: int, volunteer: int, sent_at: datetime) -> str:
    return f"volunteer-reply:{shift_id}:{volunteer}:{sent_at.isoformat()}"


def _staff_change(params: dict[str, Any]) -> Rendered:
    # Told within 48 hours of the start: "tomorrow at 9:00" reads faster than a date.
    title, when = picked(params["title"]), _near_start(params)
    name = html.escape(str(params.get("volunteer") or ""))
    event = params["event"]
    if event == "cancelled":
        text = _("⚠️ {name} gave up their place on <b>{title}</b>, {when}.")
    elif event == "promoted" and params.get("verified"):
        text = _("🔁 {name} takes a freed place on <b>{title}</b>, {when}, from the waitlist.")
    elif event == "promoted":
        text = _(
            "🔁 {name} takes a freed place on <b>{title}</b>, {when}, from the waitlist. "
            "Their identity is still to verify."
        )
    else:
        text = _("🚨 Nobody is left on <b>{title}</b>, {when}: the shift is empty.")
    return Rendered(text.format(name=name, title=title, when=when))


def _staff_change_key(shift_id: int, tutor: int, event: str, volunteer: int, at: datetime) -> str:
    return f"staff-change:{shift_id}:{tutor}:{event}:{volunteer}:{at.isoformat()}"


def _appointed_key(telegram_id: int, role: str, project_codes: Iterable[str]) -> str:
    return f"staff-appointed:{telegram_id}:{role}:{','.join(sorted(project_codes))}"


def _promoted_key(shift_id: int, telegram_id: int, promoted_at: datetime) -> str:
    return f"promoted:{shift_id}:{telegram_id}:{promoted_at.isoformat()}"


def _cancelled_key(shift_id: int, telegram_id: int, start: datetime, end: datetime) -> str:
    return f"shift-cancelled:{shift_id}:{telegram_id}:{start.isoformat()}:{end.isoformat()}"


def _changed_key(shift_id: int, telegram_id: int, start: datetime, end: datetime) -> str:
    return f"shift-changed:{shift_id}:{telegram_id}:{start.isoformat()}:{end.isoformat()}"


def _tutor_message_key(shift_id: int, telegram_id: int, sent_at: datetime) -> str:
    return f"tutor-message:{shift_id}:{telegram_id}:{sent_at.isoformat()}"


def _reminder_family(shift_id: int, telegram_id: int) -> tuple[str, ...]:
    """All of one volunteer's reminders of one shift."""
    return (f"reminder:shift:{shift_id}:user:{telegram_id}:",)


def _reminder_key(shift_id: int, telegram_id: int, offset: timedelta, start: datetime) -> str:
    """One per offset and start, so a moved shift gets new reminders even after some were sent."""
    [family] = _reminder_family(shift_id, telegram_id)
    return f"{family}{int(offset.total_seconds())}:{start.astimezone(UTC).isoformat()}"


def _nudge_key(shift_id: int, telegram_id: int) -> str:
    """One per place: a moved shift moves it."""
    return f"hours-nudge:shift:{shift_id}:user:{telegram_id}"


STAFF_APPOINTED = Notice("staff.appointed", "staff", NORMAL, _staff_appointed, _appointed_key)
PROMOTED = Notice("shift.promoted", "promotion", URGENT, _shift_promoted, _promoted_key)
CANCELLED = Notice("shift.cancelled", "shift-change", URGENT, _shift_cancelled, _cancelled_key)
CHANGED = Notice("shift.changed", "shift-change", URGENT, _shift_changed, _changed_key)
TUTOR_MESSAGE = Notice(
    "shift.tutor_message", "tutor-message", URGENT, _tutor_message, _tutor_message_key
)
REMINDER = Notice(
    "shift.reminder", "reminder", URGENT, _shift_reminder, _reminder_key, _reminder_family
)
HOURS_NUDGE = Notice("hours.nudge", "hours-nudge", NORMAL, _hours_nudge, _nudge_key)
# To a shift's tutors: a place given up or taken late, or nobody left.
STAFF_CHANGE = Notice(
    "shift.staff_change", "staff-change", URGENT, _staff_change, _staff_change_key
)
# A volunteer's answer to a tutor's message, to that tutor.
VOLUNTEER_REPLY = Notice(
    "shift.volunteer_reply", "volunteer-reply", URGENT, _volunteer_reply, _volunteer_reply_key
)
NOTICES = (
    STAFF_APPOINTED,
    PROMOTED,
    CANCELLED,
    CHANGED,
    TUTOR_MESSAGE,
    REMINDER,
    HOURS_NUDGE,
    STAFF_CHANGE,
    VOLUNTEER_REPLY,
)
