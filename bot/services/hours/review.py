"""Tutors' decisions on hour reports: what awaits them, approve, reject, approve a shift.

Only a tutor of the report's project or an admin may decide, checked here whatever the
button said; a decision records who and when, happens once (a second press is told who
decided first), and tells the volunteer through the outbox in the same transaction.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import hours as hours_notices
from bot.services.hours.reports import (
    ProjectChoice,
    fingerprint,
    project_choice,
    project_of,
    withdraw_submitted,
)
from bot.services.people import audit
from bot.services.people.roles import Actor, Role
from storage.models import HourReport, HourReportStatus, Project
from storage.repositories import hours as repo
from storage.repositories import shifts as shifts_repo

MAX_REASON_LENGTH = 300
# How long whoever decided may take the decision back.
UNDO_WINDOW = timedelta(minutes=10)


class ReviewRefusal(StrEnum):
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_REPORT = "unknown_report"
    CHANGED = "changed"
    ALREADY_DECIDED = "already_decided"
    UNKNOWN_SHIFT = "unknown_shift"
    NO_REASON = "no_reason"
    REASON_TOO_LONG = "reason_too_long"
    LIST_CHANGED = "list_changed"
    NOT_DECIDED = "not_decided"
    NOT_YOURS = "not_yours"
    TOO_LATE = "too_late"


class ReviewError(ValueError):
    def __init__(
        self,
        reason: ReviewRefusal,
        *,
        status: HourReportStatus | None = None,
        reviewer: str | None = None,
        reviewed_at: datetime | None = None,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        # For ALREADY_DECIDED: how, by whom and when it was decided.
        self.status = status
        self.reviewer = reviewer
        self.reviewed_at = reviewed_at


@dataclass(frozen=True)
class PendingReport:
    id: int
    volunteer: str
    project: ProjectChoice
    work_date: date
    minutes: int
    note: str | None
    shift_id: int | None
    check: int
    # A report of a list shown earlier may have been decided since.
    status: HourReportStatus = HourReportStatus.PENDING
    reviewer: str | None = None


@dataclass(frozen=True)
class PendingPage:
    reports: tuple[PendingReport, ...]
    page: int
    pages: int
    total: int
    # Shift id -> fingerprint, for the shifts whose every pending report is on this page.
    whole_shifts: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    report_id: int
    status: HourReportStatus
    volunteer_id: int
    volunteer: str
    project: ProjectChoice
    work_date: date
    minutes: int


def _pending(
    report: HourReport, project: Project, name: str | None, reviewer: str | None = None
) -> PendingReport:
    return PendingReport(
        report.id,
        name or str(report.telegram_id),
        project_choice(project),
        report.work_date,
        report.minutes,
        report.note,
        report.shift_id,
        fingerprint(report.project_id, report.work_date, report.minutes),
        report.status,
        reviewer,
    )


async def pending_reports_for(
    session: AsyncSession,
    actor: Actor,
    page: int,
    page_size: int,
    now: datetime,
) -> PendingPage:
    """The pending reports of the actor's projects (every project for an admin).

    The page names volunteers and their hours: showing one is recorded in the audit log.
    """
    if not actor.holds(Role.TUTOR):
        raise ReviewError(ReviewRefusal.NOT_ALLOWED)
    project_ids = None if actor.is_admin else sorted(actor.projects)
    total = await repo.count_pending(session, project_ids)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 0), pages - 1)
    rows = await repo.pending_reports(session, project_ids, page * page_size, page_size)
    if rows:
        await audit.record_read(
            session, actor.telegram_id, "hours.pending_viewed", f"page:{page}", now
        )
    reports = tuple(_pending(*row) for row in rows)
    return PendingPage(reports, page, pages, total, await _whole_shifts(session, reports))


async def listed_again(
    session: AsyncSession,
    actor: Actor,
    report_ids: Sequence[int],
    page: int,
    page_size: int,
    now: datetime,
) -> PendingPage:
    """The reports of a list shown earlier, in its order, as they are now: decided ones
    stay with who decided, so that the list keeps its numbering; withdrawn ones are gone."""
    if not actor.holds(Role.TUTOR):
        raise ReviewError(ReviewRefusal.NOT_ALLOWED)
    project_ids = None if actor.is_admin else sorted(actor.projects)
    total = await repo.count_pending(session, project_ids)
    pages = max(1, -(-total // page_size))
    found = {}
    for report, project, name in await repo.listed_reports(session, report_ids, project_ids):
        reviewer = None
        if report.reviewed_by is not None:
            reviewer = await repo.display_name(session, report.reviewed_by)
        found[report.id] = _pending(report, project, name, reviewer)
    if found:
        await audit.record_read(
            session, actor.telegram_id, "hours.pending_viewed", f"page:{page}", now
        )
    reports = tuple(found[i] for i in report_ids if i in found)
    waiting = tuple(r for r in reports if r.status == HourReportStatus.PENDING)
    return PendingPage(reports, page, pages, total, await _whole_shifts(session, waiting))


async def _whole_shifts(
    session: AsyncSession, reports: tuple[PendingReport, ...]
) -> dict[int, str]:
    """The shifts with several reports on the page and none elsewhere: only a list shown
    whole can be approved whole."""
    shown: dict[int, set[int]] = {}
    for report in reports:
        if report.shift_id is not None:
            shown.setdefault(report.shift_id, set()).add(report.id)
    whole = {}
    for shift_id, ids in shown.items():
        on_shift = await repo.pending_on_shift(session, shift_id)
        if len(ids) > 1 and {report.id for report in on_shift} == ids:
            whole[shift_id] = list_fingerprint(r for r in reports if r.shift_id == shift_id)
    return whole


async def _decidable(
    session: AsyncSession, actor: Actor, report_id: int, check: int | None
) -> HourReport:
    report = await repo.get_report(session, report_id)
    if report is None:
        raise ReviewError(ReviewRefusal.UNKNOWN_REPORT)
    if not actor.may_manage(report.project_id):
        raise ReviewError(ReviewRefusal.NOT_ALLOWED)
    if report.status != HourReportStatus.PENDING:
        await _already_decided(session, report)
    if check is not None and check != fingerprint(
        report.project_id, report.work_date, report.minutes
    ):
        raise ReviewError(ReviewRefusal.CHANGED)
    return report


async def _changed_meanwhile(session: AsyncSession, report_id: int) -> None:
    """Why a decision wrote nothing: decided, withdrawn or corrected between the check
    and the write (nothing of this transaction is kept)."""
    await session.rollback()
    report = await repo.get_report(session, report_id)
    if report is None:
        raise ReviewError(ReviewRefusal.UNKNOWN_REPORT)
    if report.status != HourReportStatus.PENDING:
        await _already_decided(session, report)
    raise ReviewError(ReviewRefusal.CHANGED)


async def _already_decided(session: AsyncSession, report: HourReport) -> None:
    reviewer = None
    if report.reviewed_by is not None:
        reviewer = await repo.display_name(session, report.reviewed_by)
    raise ReviewError(
        ReviewRefusal.ALREADY_DECIDED,
        status=report.status,
        reviewer=reviewer,
        reviewed_at=report.reviewed_at,
    )


async def check_decidable(
    session: AsyncSession, actor: Actor, report_id: int, check: int | None
) -> PendingReport:
    """Before asking a tutor for a reason: may they decide this report, as they saw it?"""
    report = await _decidable(session, actor, report_id, check)
    project = await project_of(session, report)
    return _pending(report, project, await repo.volunteer_name(session, report.telegram_id))


async def approve_report(
    session: AsyncSession,
    actor: Actor,
    report_id: int,
    *,
    check: int | None,
    now: datetime,
) -> Decision:
    report = await _decidable(session, actor, report_id, check)
    decision = await _decide(
        session, report, HourReportStatus.APPROVED, actor.telegram_id, now, None
    )
    await session.commit()
    return decision


async def reject_report(
    session: AsyncSession,
    actor: Actor,
    report_id: int,
    *,
    reason: str,
    check: int | None,
    now: datetime,
) -> Decision:
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewError(ReviewRefusal.NO_REASON)
    if len(reason) > MAX_REASON_LENGTH:
        raise ReviewError(ReviewRefusal.REASON_TOO_LONG)
    report = await _decidable(session, actor, report_id, check)
    decision = await _decide(
        session, report, HourReportStatus.REJECTED, actor.telegram_id, now, reason
    )
    await session.commit()
    return decision


def list_fingerprint(reports: Iterable[HourReport | PendingReport]) -> str:
    """A short mark of a list of reports as a tutor saw it (ids and figures), so that
    "approve all" approves exactly that list: 8 bytes of SHA-256, base64url."""
    parts = sorted(
        (
            report.id,
            report.project.id if isinstance(report, PendingReport) else report.project_id,
            report.work_date.isoformat(),
            report.minutes,
        )
        for report in reports
    )
    digest = hashlib.sha256(";".join(":".join(map(str, p)) for p in parts).encode()).digest()
    return base64.urlsafe_b64encode(digest[:8]).rstrip(b"=").decode()


async def approve_all_for_shift(
    session: AsyncSession, actor: Actor, shift_id: int, *, seen: str, now: datetime
) -> list[Decision]:
    """Approves the shift's pending reports exactly as the tutor saw them, each volunteer told.

    `seen` is the list's fingerprint when it was shown: if a report was added, decided,
    corrected or withdrawn since, nothing is approved (LIST_CHANGED).
    """
    shift = await shifts_repo.get_shift(session, shift_id)
    if shift is None:
        raise ReviewError(ReviewRefusal.UNKNOWN_SHIFT)
    if not actor.may_manage(shift.project_id):
        raise ReviewError(ReviewRefusal.NOT_ALLOWED)
    reports = await repo.pending_on_shift(session, shift_id)
    if not reports or list_fingerprint(reports) != seen:
        raise ReviewError(ReviewRefusal.LIST_CHANGED)
    decisions = []
    for report in reports:
        try:
            decision = await _decide(
                session, report, HourReportStatus.APPROVED, actor.telegram_id, now, None
            )
        except ReviewError:
            # Changed between the check and the write: the rollback undid the others too.
            raise ReviewError(ReviewRefusal.LIST_CHANGED) from None
        decisions.append(decision)
    await session.commit()
    return decisions


async def _decide(
    session: AsyncSession,
    report: HourReport,
    status: HourReportStatus,
    actor: int,
    now: datetime,
    reason: str | None,
) -> Decision:
    if not await repo.decide(
        session, report.id, repo.Checked.of(report), status, actor, now, reason
    ):
        await _changed_meanwhile(session, report.id)
    project = await project_of(session, report)
    name = await repo.volunteer_name(session, report.telegram_id) or str(report.telegram_id)
    approved = status == HourReportStatus.APPROVED
    notice = hours_notices.APPROVED if approved else hours_notices.REJECTED
    params = {
        "title": project.title,
        "work_date": report.work_date.isoformat(),
        "minutes": report.minutes,
        "reason": reason,
    }
    if not await notice.queue(
        session, notice.key(report.id), recipient_id=report.telegram_id, params=params, now=now
    ):
        # Decided again after an undo: a notice of its own.
        await notice.queue(
            session,
            notice.key(report.id, now),
            recipient_id=report.telegram_id,
            params=params,
            now=now,
        )
    audit.record(session, actor, f"hours.{status}", f"hour_report:{report.id}", now)
    # The other tutors' notices, if not sent yet, are moot now; those sent say who decided.
    await withdraw_submitted(session, report.id, reason="decided")
    await _update_notices(session, report.id, actor, status, now)
    return Decision(
        report.id,
        status,
        report.telegram_id,
        name,
        project_choice(project),
        report.work_date,
        report.minutes,
    )


async def _update_notices(
    session: AsyncSession, report_id: int, actor: int, status: HourReportStatus, now: datetime
) -> None:
    """Edits, through the outbox, the notices of this report in the other tutors' chats:
    the outcome and who decided, or the buttons again after an undo."""
    reviewer = await repo.display_name(session, actor)
    submitted = hours_notices.SUBMITTED
    for sent in await submitted.sent(session, prefixes=submitted.family(report_id)):
        if sent.recipient_id == actor:
            continue  # their own notice is edited as they press
        await hours_notices.CLOSED.queue(
            session,
            hours_notices.CLOSED.key(sent.delivery_id, str(status), now),
            recipient_id=sent.recipient_id,
            params={
                **sent.params,
                "message_id": sent.message_id,
                "status": str(status),
                "reviewer": reviewer,
            },
            now=now,
        )


async def undo_decision(
    session: AsyncSession, actor: Actor, report_id: int, *, now: datetime
) -> Decision:
    """Takes a decision back: only whoever took it, within UNDO_WINDOW.

    The report is pending again; the volunteer's notice of the decision is withdrawn if
    still unsent, otherwise they are told it was undone (they must not hold a decision
    that no longer stands). Recorded in the audit log.
    """
    report = await repo.get_report(session, report_id)
    if report is None:
        raise ReviewError(ReviewRefusal.UNKNOWN_REPORT)
    if not actor.may_manage(report.project_id):
        raise ReviewError(ReviewRefusal.NOT_ALLOWED)
    if report.status == HourReportStatus.PENDING or report.reviewed_at is None:
        raise ReviewError(ReviewRefusal.NOT_DECIDED)
    if report.reviewed_by != actor.telegram_id:
        reviewer = None
        if report.reviewed_by is not None:
            reviewer = await repo.display_name(session, report.reviewed_by)
        raise ReviewError(
            ReviewRefusal.NOT_YOURS,
            status=report.status,
            reviewer=reviewer,
            reviewed_at=report.reviewed_at,
        )
    if now - report.reviewed_at > UNDO_WINDOW:
        raise ReviewError(ReviewRefusal.TOO_LATE)
    status = report.status
    if not await repo.reopen(
        session, report.id, status, actor.telegram_id, report.reviewed_at, now
    ):
        await session.rollback()
        raise ReviewError(ReviewRefusal.NOT_DECIDED)
    project = await project_of(session, report)
    withdrawn = await hours_notices.APPROVED.withdraw(
        session,
        keys=[hours_notices.APPROVED.key(report.id)],
        prefixes=hours_notices.APPROVED.family(report.id),
        reason="undone",
    )
    if not withdrawn:
        await hours_notices.UNDONE.queue(
            session,
            hours_notices.UNDONE.key(report.id, now),
            recipient_id=report.telegram_id,
            params={
                "title": project.title,
                "work_date": report.work_date.isoformat(),
                "minutes": report.minutes,
                "status": str(status),
            },
            now=now,
        )
    audit.record(session, actor.telegram_id, "hours.undone", f"hour_report:{report.id}", now)
    await _update_notices(session, report.id, actor.telegram_id, HourReportStatus.PENDING, now)
    name = await repo.volunteer_name(session, report.telegram_id) or str(report.telegram_id)
    await session.commit()
    return Decision(
        report.id,
        HourReportStatus.PENDING,
        report.telegram_id,
        name,
        project_choice(project),
        report.work_date,
        report.minutes,
    )
