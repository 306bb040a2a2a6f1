"""The outbox notices about hours: a new report for its tutors, a decision for the volunteer."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from bot.notices import buttons
from bot.notices.buttons import Markup, button, markup
from bot.notices.formats import day_text, hours_text
from bot.notices.i18n import _, current_locale, picked
from bot.outbox.rendered import Rendered, Renderer


def _figures(params: dict[str, Any]) -> tuple[str, str, str]:
    locale = current_locale()
    day = day_text(date.fromisoformat(str(params["work_date"])), locale)
    return picked(params["title"]), day, hours_text(int(params["minutes"]), locale)


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


# cache: the renderer registry, filled at import and only read
HOURS_RENDERERS: dict[str, Renderer] = {
    "hours.submitted": _submitted,
    "hours.approved": _approved,
    "hours.rejected": _rejected,
}
