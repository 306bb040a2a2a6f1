"""The outbox notices about hours: a new report for its tutors, a decision for the volunteer."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

from bot.i18n import current_locale, day_text, duration_text
from bot.i18n import gettext as _
from bot.notices import buttons
from bot.notices.buttons import Markup, button, markup
from bot.notices.i18n import picked
from bot.notices.registry import Notice
from bot.outbox.queue import NORMAL
from bot.outbox.rendered import Rendered


def _figures(params: dict[str, Any]) -> tuple[str, str, str]:
    locale = current_locale()
    day = day_text(date.fromisoformat(str(params["work_date"])), locale)
    return picked(params["title"]), day, duration_text(int(params["minutes"]), locale)


def decide_markup(report_id: int, check: int) -> Markup:
    """Approve / Reject for one report, under the notice (the /approve list has its own)."""

    def decide(action: str) -> str:
        return buttons.hours_decide(action=action, report_id=report_id, check=check)

    return markup(
        [[button(_("✅ Approve"), decide("approve")), button(_("❌ Reject"), decide("reject"))]]
    )


def _submitted(params: dict[str, Any]) -> Rendered:
    title, day, hours = _figures(params)
    volunteer = html.escape(str(params["volunteer"]))
    if params.get("edited"):
        head = _("✏️ {name} corrected their hours for <b>{title}</b>: {hours} on {day}.")
    else:
        head = _("🕒 {name} logged {hours} for <b>{title}</b> on {day}.")
    text = head.format(name=volunteer, title=title, hours=hours, day=day)
    if params.get("note"):
        text += "\n" + _("Note: {note}").format(note=html.escape(str(params["note"])))
    report_id, check = int(params["report_id"]), int(params["check"])
    return Rendered(text, decide_markup(report_id, check))


def _approved(params: dict[str, Any]) -> Rendered:
    title, day, hours = _figures(params)
    return Rendered(
        _("✅ Your {hours} for <b>{title}</b> on {day} have been approved. Thank you!").format(
            hours=hours, title=title, day=day
        )
        + "\n"
        + _("Your totals: /myhours")
    )


def _rejected(params: dict[str, Any]) -> Rendered:
    title, day, hours = _figures(params)
    text = _("Your {hours} for <b>{title}</b> on {day} have not been approved.").format(
        hours=hours, title=title, day=day
    )
    reason = html.escape(str(params.get("reason") or ""))
    return Rendered(
        text
        + "\n"
        + _("The tutor's reason: {reason}").format(reason=reason)
        + "\n"
        + _("If something was wrong, log them again with /hours.")
    )


def _submitted_key(report_id: int, reviewer: int, corrected_at: datetime | None = None) -> str:
    """A first report is announced once per reviewer; a correction each time it is made."""
    if corrected_at is not None:
        return f"hours-corrected:{report_id}:{reviewer}:{corrected_at.isoformat()}"
    return f"hours-submitted:{report_id}:{reviewer}"


def _submitted_family(report_id: int) -> tuple[str, ...]:
    """Every reviewer's notices about one report, first or corrected."""
    return (f"hours-submitted:{report_id}:", f"hours-corrected:{report_id}:")


def _closed(params: dict[str, Any]) -> Rendered:
    """A tutor's notice of a report, edited after someone decided (or undid a decision)."""
    shown = _submitted(params)
    reviewer = html.escape(str(params.get("reviewer") or ""))
    edit = int(params["message_id"])
    status = params.get("status")
    if status == "pending":
        return Rendered(shown.text, shown.reply_markup, edit_message_id=edit)
    if status == "approved":
        outcome = _("✅ Approved by {name}.") if reviewer else _("✅ Approved.")
    else:
        outcome = _("❌ Rejected by {name}.") if reviewer else _("❌ Rejected.")
    return Rendered(shown.text + "\n\n" + outcome.format(name=reviewer), edit_message_id=edit)


def _closed_key(delivery_id: int, status: str, at: datetime) -> str:
    """One edit of the notice sent as delivery `delivery_id`, to show `status`."""
    return f"hours-notice-edit:{delivery_id}:{status}:{at.isoformat()}"


def _undone(params: dict[str, Any]) -> Rendered:
    title, day, hours = _figures(params)
    if params.get("status") == "approved":
        text = _(
            "↩️ The approval of your {hours} for <b>{title}</b> on {day} was taken back: "
            "they are waiting for a tutor's decision again."
        )
    else:
        text = _(
            "↩️ The rejection of your {hours} for <b>{title}</b> on {day} was taken back: "
            "they are waiting for a tutor's decision again."
        )
    return Rendered(text.format(hours=hours, title=title, day=day))


def _decided_key(report_id: int, decided_at: datetime | None = None) -> str:
    """The first decision on a report; one taken again after an undo carries its moment."""
    if decided_at is not None:
        return f"hours-decided:{report_id}:{decided_at.isoformat()}"
    return f"hours-decided:{report_id}"


def _decided_family(report_id: int) -> tuple[str, ...]:
    """The decisions taken again after an undo (the first one is `_decided_key(report_id)`)."""
    return (f"hours-decided:{report_id}:",)


def _undone_key(report_id: int, undone_at: datetime) -> str:
    return f"hours-undone:{report_id}:{undone_at.isoformat()}"


SUBMITTED = Notice(
    "hours.submitted", "hours", NORMAL, _submitted, _submitted_key, _submitted_family
)
APPROVED = Notice("hours.approved", "hours", NORMAL, _approved, _decided_key, _decided_family)
REJECTED = Notice("hours.rejected", "hours", NORMAL, _rejected, _decided_key, _decided_family)
UNDONE = Notice("hours.undone", "hours", NORMAL, _undone, _undone_key)
# Not a new message: the edit of a SUBMITTED one already in a tutor's chat.
CLOSED = Notice("hours.notice_closed", "hours", NORMAL, _closed, _closed_key)
NOTICES = (SUBMITTED, APPROVED, REJECTED, UNDONE, CLOSED)
