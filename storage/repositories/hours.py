"""Hour reports: who may log for which project, the day's total, decisions and totals."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    HourReport,
    HourReportStatus,
    Project,
    ProjectTutor,
    Shift,
    Signup,
    SignupStatus,
    User,
    Volunteer,
)

# What counts towards a day's total and a volunteer's totals.
COUNTED = (HourReportStatus.PENDING, HourReportStatus.APPROVED)


async def minutes_on_day(
    session: AsyncSession,
    telegram_id: int,
    work_date: date,
    leaving_out: int | None = None,
    *,
    project_id: int | None = None,
) -> int:
    """Pending and approved minutes of the volunteer's day (for one project, if given),
    without report `leaving_out`."""
    query = select(func.coalesce(func.sum(HourReport.minutes), 0)).where(
        HourReport.telegram_id == telegram_id,
        HourReport.work_date == work_date,
        HourReport.status.in_(COUNTED),
    )
    if leaving_out is not None:
        query = query.where(HourReport.id != leaving_out)
    if project_id is not None:
        query = query.where(HourReport.project_id == project_id)
    return int(await session.scalar(query) or 0)


async def shifts_held_between(
    session: AsyncSession,
    telegram_id: int,
    project_id: int,
    start: datetime,
    end: datetime,
    signup_statuses: Collection[SignupStatus],
) -> list[Shift]:
    """The project's shifts starting in [start, end) with the volunteer's signup in
    `signup_statuses`."""
    rows = await session.scalars(
        select(Shift)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(
            Signup.telegram_id == telegram_id,
            Signup.status.in_(signup_statuses),
            Shift.project_id == project_id,
            Shift.cancelled.is_(False),
            Shift.start_at >= start,
            Shift.start_at < end,
        )
        .order_by(Shift.start_at, Shift.id)
    )
    return list(rows)


async def shifts_with_reports(
    session: AsyncSession, telegram_id: int, shift_ids: Sequence[int], leaving_out: int | None
) -> set[int]:
    """Which of these shifts already have one of the volunteer's reports linked to them."""
    if not shift_ids:
        return set()
    query = select(HourReport.shift_id).where(
        HourReport.telegram_id == telegram_id, HourReport.shift_id.in_(shift_ids)
    )
    if leaving_out is not None:
        query = query.where(HourReport.id != leaving_out)
    return {shift_id for shift_id in await session.scalars(query) if shift_id is not None}


def add_report(session: AsyncSession, report: HourReport) -> None:
    session.add(report)


async def get_report(session: AsyncSession, report_id: int) -> HourReport | None:
    return await session.get(HourReport, report_id, populate_existing=True)


@dataclass(frozen=True)
class Checked:
    """The figures of a pending report as they were checked (and shown) before a write."""

    project_id: int
    work_date: date
    minutes: int

    @classmethod
    def of(cls, report: HourReport) -> Checked:
        return cls(report.project_id, report.work_date, report.minutes)


def _still_as_checked(report_id: int, checked: Checked) -> list[ColumnElement[bool]]:
    """The report is still pending with the checked figures: a write that carries this
    condition changes nothing if anyone decided, corrected or withdrew it meanwhile."""
    return [
        HourReport.id == report_id,
        HourReport.status == HourReportStatus.PENDING,
        HourReport.project_id == checked.project_id,
        HourReport.work_date == checked.work_date,
        HourReport.minutes == checked.minutes,
    ]


async def delete_pending(session: AsyncSession, report_id: int, checked: Checked) -> bool:
    """Deletes the report if still pending as checked; False when it changed meanwhile."""
    result = await session.execute(
        delete(HourReport)
        .where(*_still_as_checked(report_id, checked))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def correct(
    session: AsyncSession,
    report_id: int,
    checked: Checked,
    *,
    minutes: int,
    work_date: date,
    now: datetime,
) -> bool:
    """Corrects the figures of a report still pending as checked; False when it changed."""
    result = await session.execute(
        update(HourReport)
        .where(*_still_as_checked(report_id, checked))
        .values(minutes=minutes, work_date=work_date, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def decide(
    session: AsyncSession,
    report_id: int,
    checked: Checked,
    status: HourReportStatus,
    reviewer: int,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Decides a report still pending with the checked figures; False when someone decided,
    corrected or withdrew it first (the condition inside the UPDATE makes them exclusive)."""
    result = await session.execute(
        update(HourReport)
        .where(*_still_as_checked(report_id, checked))
        .values(
            status=status,
            reviewed_by=reviewer,
            reviewed_at=now,
            reject_reason=reason,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reopen(
    session: AsyncSession,
    report_id: int,
    status: HourReportStatus,
    reviewer: int,
    reviewed_at: datetime,
    now: datetime,
) -> bool:
    """Makes a decided report pending again, only if it is still that decision (status,
    reviewer and moment); False when it changed meanwhile (undone twice, withdrawn)."""
    result = await session.execute(
        update(HourReport)
        .where(
            HourReport.id == report_id,
            HourReport.status == status,
            HourReport.reviewed_by == reviewer,
            HourReport.reviewed_at == reviewed_at,
        )
        .values(
            status=HourReportStatus.PENDING,
            reviewed_by=None,
            reviewed_at=None,
            reject_reason=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def tutors_of(session: AsyncSession, project_id: int) -> list[int]:
    rows = await session.scalars(
        select(ProjectTutor.telegram_id)
        .where(ProjectTutor.project_id == project_id)
        .order_by(ProjectTutor.telegram_id)
    )
    return list(rows)


async def display_name(session: AsyncSession, telegram_id: int) -> str | None:
    return await session.scalar(select(User.display_name).where(User.telegram_id == telegram_id))


PendingRow = tuple[HourReport, Project, str | None]


def _pending_of_projects(project_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    where = [HourReport.status == HourReportStatus.PENDING]
    if project_ids is not None:
        where.append(HourReport.project_id.in_(project_ids))
    return where


async def count_pending(session: AsyncSession, project_ids: Sequence[int] | None) -> int:
    where = _pending_of_projects(project_ids)
    return int(
        await session.scalar(select(func.count()).select_from(HourReport).where(*where)) or 0
    )


async def pending_reports(
    session: AsyncSession, project_ids: Sequence[int] | None, offset: int, limit: int
) -> list[PendingRow]:
    """Pending reports, oldest day first, of the given projects (None: of every project)."""
    where = _pending_of_projects(project_ids)
    rows = await session.execute(
        select(HourReport, Project, Volunteer.full_name)
        .join(Project, Project.id == HourReport.project_id)
        .outerjoin(Volunteer, Volunteer.telegram_id == HourReport.telegram_id)
        .where(*where)
        .order_by(HourReport.work_date, HourReport.id)
        .offset(offset)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def pending_on_shift(session: AsyncSession, shift_id: int) -> list[HourReport]:
    rows = await session.scalars(
        select(HourReport)
        .where(HourReport.shift_id == shift_id, HourReport.status == HourReportStatus.PENDING)
        .order_by(HourReport.id)
    )
    return list(rows)


async def volunteer_name(session: AsyncSession, telegram_id: int) -> str | None:
    return await session.scalar(
        select(Volunteer.full_name).where(Volunteer.telegram_id == telegram_id)
    )


async def pending_of(session: AsyncSession, telegram_id: int) -> list[tuple[HourReport, Project]]:
    rows = await session.execute(
        select(HourReport, Project)
        .join(Project, Project.id == HourReport.project_id)
        .where(HourReport.telegram_id == telegram_id, HourReport.status == HourReportStatus.PENDING)
        .order_by(HourReport.work_date, HourReport.id)
    )
    return [(row[0], row[1]) for row in rows]


TotalsRow = tuple[Project, HourReportStatus, int, int, int]


async def totals(
    session: AsyncSession, telegram_id: int, year_start: date, month_start: date
) -> list[TotalsRow]:
    """Per project and status (pending, approved): minutes overall, this year, this month."""

    def since(start: date) -> ColumnElement[int]:
        return func.sum(case((HourReport.work_date >= start, HourReport.minutes), else_=0))

    sums = (
        select(
            HourReport.project_id,
            HourReport.status,
            func.sum(HourReport.minutes).label("overall"),
            since(year_start).label("year"),
            since(month_start).label("month"),
        )
        .where(HourReport.telegram_id == telegram_id, HourReport.status.in_(COUNTED))
        .group_by(HourReport.project_id, HourReport.status)
        .subquery()
    )
    rows = await session.execute(
        select(Project, sums.c.status, sums.c.overall, sums.c.year, sums.c.month)
        .join(sums, sums.c.project_id == Project.id)
        .order_by(Project.code, sums.c.status)
    )
    return [
        (project, HourReportStatus(status), int(overall or 0), int(year or 0), int(month or 0))
        for project, status, overall, year, month in rows
    ]


async def listed_reports(
    session: AsyncSession, report_ids: Sequence[int], project_ids: Sequence[int] | None
) -> list[PendingRow]:
    """These reports whatever their status (a list shown earlier), of the given projects."""
    where: list[ColumnElement[bool]] = [HourReport.id.in_(report_ids)]
    if project_ids is not None:
        where.append(HourReport.project_id.in_(project_ids))
    rows = await session.execute(
        select(HourReport, Project, Volunteer.full_name)
        .join(Project, Project.id == HourReport.project_id)
        .outerjoin(Volunteer, Volunteer.telegram_id == HourReport.telegram_id)
        .where(*where)
        .execution_options(populate_existing=True)
    )
    return [(row[0], row[1], row[2]) for row in rows]
