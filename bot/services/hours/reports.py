"""Volunteer hours: logging them, correcting or withdrawing a pending report, and totals.

Every rule is checked here, whatever the conversation or the button claimed, and a broken
rule saves nothing. A new or corrected report is announced to the project's tutors through
the outbox in the same transaction; a report linked to a shift withdraws that shift's
"log your hours" nudge, also in the same transaction.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import shifts as shift_notices
from bot.notices.hours import SUBMITTED
from bot.services.hours.input import (
    MAX_DAY_MINUTES,
    InputError,
    Problem,
    check_minutes,
    check_note,
    check_work_date,
    match_projects,
)
from bot.services.people import roles
from bot.services.volunteering import membership
from bot.services.volunteering.membership import MEMBER_SIGNUP_STATUSES
from storage.models import HourReport, HourReportStatus, Project, Shift
from storage.repositories import catalog as catalog_repo
from storage.repositories import hours as repo
from storage.repositories import shifts as shifts_repo
from storage.repositories import volunteers as volunteers_repo
from storage.types import Translations


class Refusal(StrEnum):
    NOT_REGISTERED = "not_registered"
    NO_PROJECTS = "no_projects"
    CHOOSE_PROJECT = "choose_project"
    NO_SUCH_PROJECT = "no_such_project"
    SAME_DAY = "same_day"
    BEFORE_REGISTRATION = "before_registration"
    DAY_FULL = "day_full"
    UNKNOWN_REPORT = "unknown_report"
    NOT_PENDING = "not_pending"
    CHANGED = "changed"
    UNKNOWN_SHIFT = "unknown_shift"
    SHIFT_CANCELLED = "shift_cancelled"
    NOT_ON_SHIFT = "not_on_shift"
    SHIFT_NOT_OVER = "shift_not_over"
    ALREADY_LOGGED = "already_logged"


class HoursError(ValueError):
    """A report refused; `reason` is a rule of this module or a problem with the input.

    `projects` are the volunteer's to choose from when the project was not clear;
    `since` is the day the volunteer joined the register, for hours logged before it.
    """

    def __init__(
        self,
        reason: Refusal | Problem,
        *,
        projects: tuple[ProjectChoice, ...] = (),
        since: date | None = None,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.projects = projects
        self.since = since


@dataclass(frozen=True)
class Rules:
    """The moment of logging and the programme's limits on it."""

    now: datetime
    zone: ZoneInfo
    max_age_days: int
    admin_ids: tuple[int, ...] = ()
    # The language project names are read in, and the one to fall back on.
    locale: str = ""
    default_locale: str = ""

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


@dataclass(frozen=True)
class ProjectChoice:
    id: int
    code: str
    title: Translations


@dataclass(frozen=True)
class Report:
    id: int
    project: ProjectChoice
    work_date: date
    minutes: int
    note: str | None
    status: HourReportStatus
    shift_id: int | None


def fingerprint(project_id: int, work_date: date, minutes: int) -> int:
    """A short mark of what a tutor was shown, so a decision on a since-corrected report
    is refused rather than applied to figures the tutor never saw."""
    return zlib.crc32(f"{project_id}:{work_date.isoformat()}:{minutes}".encode()) & 0xFFFFFF


def project_choice(project: Project) -> ProjectChoice:
    return ProjectChoice(project.id, project.code, project.title)


def as_report(report: HourReport, project: Project) -> Report:
    return Report(
        report.id,
        project_choice(project),
        report.work_date,
        report.minutes,
        report.note,
        report.status,
        report.shift_id,
    )


async def my_projects(session: AsyncSession, telegram_id: int) -> list[ProjectChoice]:
    """The projects the volunteer may log hours for; refused outside the register."""
    if await volunteers_repo.get_volunteer(session, telegram_id) is None:
        raise HoursError(Refusal.NOT_REGISTERED)
    projects = [project_choice(p) for p in await membership.projects_of(session, telegram_id)]
    if not projects:
        raise HoursError(Refusal.NO_PROJECTS)
    return projects


def _title_in(title: Translations, rules: Rules) -> str:
    for key in (rules.locale, rules.default_locale, "*"):
        if key in title:
            return title[key]
    return " ".join(title.values())


async def _project_for(
    session: AsyncSession,
    telegram_id: int,
    words: tuple[str, ...],
    project_id: int | None,
    rules: Rules,
) -> Project:
    """The project named by id, by its code or by words of its title in the volunteer's
    language, among their own; otherwise a refusal that carries them to choose from."""
    members = await membership.projects_of(session, telegram_id)
    if not members:
        raise HoursError(Refusal.NO_PROJECTS)
    choices = tuple(project_choice(p) for p in members)
    if project_id is not None:
        found = [p for p in members if p.id == project_id]
        if not found:
            raise HoursError(Refusal.CHOOSE_PROJECT, projects=choices)
        return found[0]
    if not words:
        if len(members) > 1:
            raise HoursError(Refusal.CHOOSE_PROJECT, projects=choices)
        return members[0]
    matched = match_projects(words, {p.id: (p.code, _title_in(p.title, rules)) for p in members})
    if len(matched) == 1:
        return next(p for p in members if p.id == matched[0])
    if matched:
        # Only the projects the words fit, when they fit more than one.
        choices = tuple(c for c in choices if c.id in matched)
        raise HoursError(Refusal.CHOOSE_PROJECT, projects=choices)
    raise HoursError(Refusal.NO_SUCH_PROJECT, projects=choices)


def _checked(minutes: int, work_date: date, note: str | None, rules: Rules) -> str | None:
    try:
        check_minutes(minutes)
        check_work_date(work_date, rules.today, rules.max_age_days)
        return check_note(note or "")
    except InputError as error:
        raise HoursError(error.problem) from None


async def _check_day(
    session: AsyncSession, telegram_id: int, work_date: date, minutes: int, report_id: int | None
) -> None:
    logged = await repo.minutes_on_day(session, telegram_id, work_date, report_id)
    if logged + minutes > MAX_DAY_MINUTES:
        raise HoursError(Refusal.DAY_FULL)


async def _check_registered_by(
    session: AsyncSession, telegram_id: int, work_date: date, zone: ZoneInfo
) -> None:
    """No hours before the volunteer joined the register: they were not insured then."""
    volunteer = await volunteers_repo.get_volunteer(session, telegram_id)
    if volunteer is None:
        raise HoursError(Refusal.NOT_REGISTERED)
    joined = volunteer.registered_at.astimezone(zone).date()
    if work_date < joined:
        raise HoursError(Refusal.BEFORE_REGISTRATION, since=joined)


async def _shift_to_link(session: AsyncSession, report: HourReport, rules: Rules) -> int | None:
    """The first shift of the report's project on its day, already over, on which the
    volunteer held a place and which no other of their reports is linked to."""
    start = datetime.combine(report.work_date, time(), rules.zone)
    end = datetime.combine(report.work_date + timedelta(days=1), time(), rules.zone)
    held = await repo.shifts_held_between(
        session, report.telegram_id, report.project_id, start, end, MEMBER_SIGNUP_STATUSES
    )
    # A shift still to come may yet be logged with its own one tap.
    held = [s for s in held if s.end_at <= rules.now]
    taken = await repo.shifts_with_reports(
        session, report.telegram_id, [s.id for s in held], report.id
    )
    return next((s.id for s in held if s.id not in taken), None)


async def log_hours(
    session: AsyncSession,
    telegram_id: int,
    *,
    minutes: int,
    work_date: date,
    rules: Rules,
    project_words: tuple[str, ...] = (),
    project_id: int | None = None,
    note: str | None = None,
    another_activity: bool = False,
) -> Report:
    """A new pending report; without a project, the volunteer's only one.

    A second report for the same project and day is saved only as `another_activity`,
    so that a report sent twice is not counted twice.
    """
    if await volunteers_repo.get_volunteer(session, telegram_id) is None:
        raise HoursError(Refusal.NOT_REGISTERED)
    project = await _project_for(session, telegram_id, project_words, project_id, rules)
    note = _checked(minutes, work_date, note, rules)
    await _check_registered_by(session, telegram_id, work_date, rules.zone)
    await _check_day(session, telegram_id, work_date, minutes, None)
    if not another_activity and await repo.minutes_on_day(
        session, telegram_id, work_date, project_id=project.id
    ):
        raise HoursError(Refusal.SAME_DAY, projects=(project_choice(project),))
    report = _new_report(telegram_id, project.id, work_date, minutes, note, rules.now)
    repo.add_report(session, report)
    await session.flush()
    report.shift_id = await _shift_to_link(session, report, rules)
    return await _announce_and_commit(session, report, project, rules, edited=False)


def _new_report(
    telegram_id: int,
    project_id: int,
    work_date: date,
    minutes: int,
    note: str | None,
    now: datetime,
) -> HourReport:
    return HourReport(
        telegram_id=telegram_id,
        project_id=project_id,
        work_date=work_date,
        minutes=minutes,
        note=note,
        status=HourReportStatus.PENDING,
        created_at=now,
        updated_at=now,
    )


async def log_shift_hours(
    session: AsyncSession, telegram_id: int, shift_id: int, rules: Rules
) -> Report:
    """The one tap after a shift: its project, its day and its length, once."""
    if await volunteers_repo.get_volunteer(session, telegram_id) is None:
        raise HoursError(Refusal.NOT_REGISTERED)
    shift = await shifts_repo.get_shift(session, shift_id)
    if shift is None:
        raise HoursError(Refusal.UNKNOWN_SHIFT)
    await _check_shift(session, shift, telegram_id, rules.now)
    minutes = int((shift.end_at - shift.start_at).total_seconds() // 60)
    work_date = shift.start_at.astimezone(rules.zone).date()
    _checked(minutes, work_date, None, rules)
    await _check_day(session, telegram_id, work_date, minutes, None)
    report = _new_report(telegram_id, shift.project_id, work_date, minutes, None, rules.now)
    report.shift_id = shift.id
    repo.add_report(session, report)
    await session.flush()
    project = await shifts_repo.project_of(session, shift)
    return await _announce_and_commit(session, report, project, rules, edited=False)


async def _check_shift(
    session: AsyncSession, shift: Shift, telegram_id: int, now: datetime
) -> None:
    if shift.cancelled:
        raise HoursError(Refusal.SHIFT_CANCELLED)
    signup = await shifts_repo.get_signup(session, shift.id, telegram_id)
    if signup is None or signup.status not in MEMBER_SIGNUP_STATUSES:
        raise HoursError(Refusal.NOT_ON_SHIFT)
    if shift.end_at > now:
        raise HoursError(Refusal.SHIFT_NOT_OVER)
    if await repo.shifts_with_reports(session, telegram_id, [shift.id], None):
        raise HoursError(Refusal.ALREADY_LOGGED)


async def _own_pending(session: AsyncSession, telegram_id: int, report_id: int) -> HourReport:
    report = await repo.get_report(session, report_id)
    if report is None or report.telegram_id != telegram_id:
        raise HoursError(Refusal.UNKNOWN_REPORT)
    if report.status != HourReportStatus.PENDING:
        raise HoursError(Refusal.NOT_PENDING)
    return report


async def edit_pending_report(
    session: AsyncSession,
    telegram_id: int,
    report_id: int,
    *,
    minutes: int,
    work_date: date | None,
    rules: Rules,
) -> Report:
    """Corrects the duration (and the day, unless None) of a report no tutor has decided
    yet; tutors are told again, and a decision on the figures they saw before is refused.

    The correction applies only to the report as checked here: decided, corrected or
    withdrawn meanwhile, nothing is written.
    """
    report = await _own_pending(session, telegram_id, report_id)
    checked = repo.Checked.of(report)
    work_date = work_date or report.work_date
    _checked(minutes, work_date, report.note, rules)
    await _check_registered_by(session, telegram_id, work_date, rules.zone)
    await _check_day(session, telegram_id, work_date, minutes, report.id)
    if not await repo.correct(
        session, report.id, checked, minutes=minutes, work_date=work_date, now=rules.now
    ):
        await _changed_meanwhile(session, telegram_id, report.id)
    await session.refresh(report)
    report.shift_id = await _shift_to_link(session, report, rules)
    await withdraw_submitted(session, report.id, reason="corrected")
    project = await project_of(session, report)
    return await _announce_and_commit(session, report, project, rules, edited=True)


async def withdraw_pending_report(
    session: AsyncSession, telegram_id: int, report_id: int
) -> Report:
    """Takes back a report no tutor has decided yet; the tutors' unsent notices go too.

    Decided or corrected meanwhile, nothing is withdrawn.
    """
    report = await _own_pending(session, telegram_id, report_id)
    withdrawn = as_report(report, await project_of(session, report))
    if not await repo.delete_pending(session, report.id, repo.Checked.of(report)):
        await _changed_meanwhile(session, telegram_id, report.id)
    await withdraw_submitted(session, report.id, reason="withdrawn")
    await session.commit()
    return withdrawn


async def _changed_meanwhile(session: AsyncSession, telegram_id: int, report_id: int) -> None:
    """Why a guarded write found nothing: decided, gone, or corrected from elsewhere."""
    await session.rollback()
    await _own_pending(session, telegram_id, report_id)
    raise HoursError(Refusal.CHANGED)


async def project_of(session: AsyncSession, report: HourReport) -> Project:
    """The report's project (its foreign key keeps the project while the report exists)."""
    project = await catalog_repo.get_project(session, report.project_id)
    assert project is not None
    return project


async def reviewers_of(
    session: AsyncSession, project_id: int, admin_ids: tuple[int, ...]
) -> list[int]:
    """The project's tutors; the admins when it has none, so that someone can decide."""
    tutors = await repo.tutors_of(session, project_id)
    if tutors:
        return tutors
    return sorted(await roles.admins(session, admin_ids))


async def _announce_and_commit(
    session: AsyncSession, report: HourReport, project: Project, rules: Rules, *, edited: bool
) -> Report:
    reviewers = await reviewers_of(session, report.project_id, rules.admin_ids)
    await queue_submitted_notices(session, report, project, reviewers, rules.now, edited=edited)
    if report.shift_id is not None:
        nudge = shift_notices.HOURS_NUDGE
        await nudge.withdraw(
            session, keys=[nudge.key(report.shift_id, report.telegram_id)], reason="hours logged"
        )
    result = as_report(report, project)
    await session.commit()
    return result


async def queue_submitted_notices(
    session: AsyncSession,
    report: HourReport,
    project: Project,
    reviewers: list[int],
    now: datetime,
    *,
    edited: bool = False,
) -> None:
    """Tells each reviewer of a report waiting for a decision (once per report and reviewer)."""
    name = await repo.volunteer_name(session, report.telegram_id) or str(report.telegram_id)
    params = {
        "report_id": report.id,
        "check": fingerprint(report.project_id, report.work_date, report.minutes),
        "volunteer": name,
        "title": project.title,
        "work_date": report.work_date.isoformat(),
        "minutes": report.minutes,
        "note": report.note,
        "edited": edited,
    }
    for tutor in reviewers:
        key = SUBMITTED.key(report.id, tutor, now if edited else None)
        await SUBMITTED.queue(session, key, recipient_id=tutor, params=params, now=now)


async def withdraw_submitted(
    session: AsyncSession, report_id: int, *, reason: str, reviewer: int | None = None
) -> int:
    """The reviewers' unsent notices about a report, or only one reviewer's (no commit)."""
    if reviewer is None:
        return await SUBMITTED.withdraw(
            session, prefixes=SUBMITTED.family(report_id), reason=reason
        )
    return await SUBMITTED.withdraw(
        session, keys=[SUBMITTED.key(report_id, reviewer)], reason=reason
    )
