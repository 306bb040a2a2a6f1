"""How hours, days and refusals about hour reports read, in the user's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_datetime

from bot.i18n import day_text, title_text
from bot.services.hours.input import MAX_NOTE_LENGTH, Problem
from bot.services.hours.reports import HoursError, ProjectChoice, Refusal
from bot.services.hours.review import (
    MAX_REASON_LENGTH,
    UNDO_WINDOW,
    ReviewError,
    ReviewRefusal,
)
from storage.models import HourReportStatus


def project_text(project: ProjectChoice, locale: str, default: str) -> str:
    return title_text(project.title, locale, default)


def usage_text() -> str:
    return _(
        "Write /hours DURATION [DATE] [PROJECT], e.g. /hours 2h30 yesterday gardens, "
        "or just /hours and I ask step by step."
    )


def problem_text(problem: Problem, max_age_days: int) -> str:
    if problem is Problem.TOO_OLD:
        return ngettext(
            "Hours can be logged up to {days} day back.",
            "Hours can be logged up to {days} days back.",
            max_age_days,
        ).format(days=max_age_days)
    texts = {
        Problem.NOT_A_DURATION: _("Please write the duration like 2, 2.5, 2h30, 90m or 1:30."),
        Problem.NOT_POSITIVE: _("The duration must be more than 0."),
        Problem.OVER_REPORT_LIMIT: _(
            "One report can be at most 12 hours. For more, log each day on its own."
        ),
        Problem.NOT_A_DATE: _("Please write the date as today, yesterday, YYYY-MM-DD or DD/MM."),
        Problem.NO_SUCH_DATE: _("That date does not exist. Please check day and month."),
        Problem.FUTURE_DATE: _(
            "That date is in the future: hours are logged once they have been given."
        ),
        Problem.TWO_DATES: _("Please give only one date.") + " " + usage_text(),
        Problem.TOO_MANY_WORDS: usage_text(),
        Problem.NOTE_TOO_LONG: _("Please keep the note within {limit} characters.").format(
            limit=MAX_NOTE_LENGTH
        ),
    }
    return texts[problem]


def refusal_text(error: HoursError, max_age_days: int) -> str:
    if isinstance(error.reason, Problem):
        return problem_text(error.reason, max_age_days)
    if error.reason is Refusal.BEFORE_REGISTRATION and error.since is not None:
        return _(
            "You joined the volunteer register on {day}: hours can be logged from that day on."
        ).format(day=day_text(error.since, get_i18n().current_locale))
    texts = {
        Refusal.NOT_REGISTERED: _(
            "To log hours you need to be in the volunteer register: join it with /volunteer."
        ),
        Refusal.NO_PROJECTS: _(
            "You do not belong to a project yet: take a place on a shift with /volunteer, "
            "then log your hours."
        ),
        Refusal.CHOOSE_PROJECT: _("Which project are these hours for?"),
        Refusal.NO_SUCH_PROJECT: _(
            "None of your projects goes by that name. Which one are these hours for?"
        ),
        Refusal.BEFORE_REGISTRATION: _(
            "Hours can be logged only from the day you joined the volunteer register."
        ),
        Refusal.SAME_DAY: _("You have already logged hours for this project on that day."),
        Refusal.DAY_FULL: _(
            "That would make more than 24 hours on one day, with the hours you already "
            "logged for it. Nothing was saved."
        ),
        Refusal.UNKNOWN_REPORT: _("This report no longer exists."),
        Refusal.NOT_PENDING: _("A tutor has already decided on this report: it cannot change."),
        Refusal.CHANGED: _(
            "This report changed meanwhile: nothing was saved. Here are your hours as they are now."
        ),
        Refusal.UNKNOWN_SHIFT: _("This shift is no longer in the catalogue."),
        Refusal.SHIFT_CANCELLED: _("This shift was cancelled: there are no hours to log for it."),
        Refusal.NOT_ON_SHIFT: _("You had no place on this shift. Log your hours with /hours."),
        Refusal.SHIFT_NOT_OVER: _("This shift is not over yet: log its hours once it has ended."),
        Refusal.ALREADY_LOGGED: _("You have already logged the hours of this shift: see /myhours."),
    }
    return texts[error.reason]


def review_refusal_text(error: ReviewError, locale: str, zone: ZoneInfo) -> str:
    """Plain text (a button's answer); escape it to put it in a message."""
    if error.reason is ReviewRefusal.ALREADY_DECIDED:
        return _already_decided(error, locale, zone)
    if error.reason is ReviewRefusal.NOT_YOURS:
        if error.reviewer:
            return _("Only {name}, who decided, can undo this decision.").format(
                name=error.reviewer
            )
        return _("Only whoever decided can undo this decision.")
    if error.reason is ReviewRefusal.TOO_LATE:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        return ngettext(
            "Too late to undo: a decision can be taken back within {count} minute.",
            "Too late to undo: a decision can be taken back within {count} minutes.",
            minutes,
        ).format(count=minutes)
    texts = {
        ReviewRefusal.NOT_ALLOWED: _("Only the tutors of this project can decide on these hours."),
        ReviewRefusal.UNKNOWN_REPORT: _("This report no longer exists: the volunteer withdrew it."),
        ReviewRefusal.CHANGED: _(
            "The volunteer has corrected this report since: decide on the new figures in /approve."
        ),
        ReviewRefusal.LIST_CHANGED: _(
            "These hours changed since the list was shown: nothing was approved. "
            "Here is the list as it is now."
        ),
        ReviewRefusal.UNKNOWN_SHIFT: _("This shift is no longer in the catalogue."),
        ReviewRefusal.NO_REASON: _("Please write a short reason for the volunteer."),
        ReviewRefusal.NOT_DECIDED: _(
            "These hours are waiting for a decision already: there is nothing to undo."
        ),
        ReviewRefusal.REASON_TOO_LONG: _(
            "Please keep the reason within {limit} characters."
        ).format(limit=MAX_REASON_LENGTH),
    }
    return texts[error.reason]


def _already_decided(error: ReviewError, locale: str, zone: ZoneInfo) -> str:
    when = _moment(error.reviewed_at, locale, zone)
    name = error.reviewer
    if error.status == HourReportStatus.APPROVED:
        if name:
            return _("Already approved by {name} on {when}.").format(name=name, when=when)
        return _("Already approved on {when}.").format(when=when)
    if name:
        return _("Already rejected by {name} on {when}.").format(name=name, when=when)
    return _("Already rejected on {when}.").format(when=when)


def _moment(moment: datetime | None, locale: str, zone: ZoneInfo) -> str:
    if moment is None:
        return "?"
    return format_datetime(moment.astimezone(zone), "d MMM, HH:mm", locale=locale)
