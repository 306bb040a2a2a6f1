"""Approved hours summed in SQL: per project, per month, in total, and the rows for export.

Every aggregate is a GROUP BY in the database, so the figures of a million reports never
pass through Python one row at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, distinct, extract, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HourReport, HourReportStatus, Project, ProjectTutor, Volunteer
from storage.types import Translations

# Rows fetched from the database at a time while streaming an export.
EXPORT_BATCH = 5000


@dataclass(frozen=True)
class ProjectTotal:
    project_id: int
    code: str
    title: Translations
    volunteers: int
    minutes: int
    tutors: int


@dataclass(frozen=True)
class Overall:
    volunteers: int  # each counted once, however many projects they gave hours to
    minutes: int


@dataclass(frozen=True)
class MonthTotal:
    project_id: int
    year: int
    month: int
    minutes: int


def _approved_in(
    date_from: date, date_to: date, project_ids: Collection[int] | None
) -> list[ColumnElement[bool]]:
    conditions = [
        HourReport.status == HourReportStatus.APPROVED,
        HourReport.work_date >= date_from,
        HourReport.work_date <= date_to,
    ]
    if project_ids is not None:
        conditions.append(HourReport.project_id.in_(list(project_ids)))
    return conditions


async def totals(
    session: AsyncSession, date_from: date, date_to: date, project_ids: Collection[int] | None
) -> tuple[list[ProjectTotal], Overall]:
    """Each project with approved hours in the period (inclusive), most hours first, and
    the overall figures, in one statement.

    Reports are first summed per project and volunteer (a hash aggregate over an index-only
    scan); the few thousand sums then give both the per-project counts and the volunteers
    counted once overall, without a second pass over the reports.
    """
    per_volunteer = (
        select(
            HourReport.project_id,
            HourReport.telegram_id,
            func.sum(HourReport.minutes).label("minutes"),
        )
        .where(*_approved_in(date_from, date_to, project_ids))
        .group_by(HourReport.project_id, HourReport.telegram_id)
        .cte("per_volunteer")
    )
    by_project = select(
        per_volunteer.c.project_id,
        func.count().label("volunteers"),
        func.sum(per_volunteer.c.minutes).label("minutes"),
    ).group_by(per_volunteer.c.project_id)
    overall = select(
        literal(None, Integer).label("project_id"),
        func.count(distinct(per_volunteer.c.telegram_id)),
        func.coalesce(func.sum(per_volunteer.c.minutes), 0),
    )
    figures = union_all(by_project, overall).subquery()
    tutors = (
        select(ProjectTutor.project_id, func.count().label("tutors"))
        .group_by(ProjectTutor.project_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            figures.c.project_id,
            Project.code,
            Project.title,
            figures.c.volunteers,
            figures.c.minutes,
            func.coalesce(tutors.c.tutors, 0),
        )
        .outerjoin(Project, Project.id == figures.c.project_id)
        .outerjoin(tutors, tutors.c.project_id == figures.c.project_id)
        .order_by(figures.c.minutes.desc(), Project.code)
    )
    projects, total = [], Overall(0, 0)
    for project_id, code, title, volunteers, minutes, count in rows:
        if project_id is None:
            total = Overall(int(volunteers), int(minutes))
        else:
            projects.append(
                ProjectTotal(project_id, code, title, int(volunteers), int(minutes), int(count))
            )
    return projects, total


async def distinct_tutors(session: AsyncSession, project_ids: Collection[int]) -> int:
    if not project_ids:
        return 0
    count = await session.scalar(
        select(func.count(distinct(ProjectTutor.telegram_id))).where(
            ProjectTutor.project_id.in_(list(project_ids))
        )
    )
    return int(count or 0)


async def totals_by_month(
    session: AsyncSession, date_from: date, date_to: date, project_ids: Collection[int] | None
) -> list[MonthTotal]:
    year = extract("year", HourReport.work_date)
    month = extract("month", HourReport.work_date)
    rows = await session.execute(
        select(HourReport.project_id, year, month, func.sum(HourReport.minutes))
        .where(*_approved_in(date_from, date_to, project_ids))
        .group_by(HourReport.project_id, year, month)
        .order_by(year, month)
    )
    return [
        MonthTotal(project_id, int(y), int(m), int(minutes)) for project_id, y, m, minutes in rows
    ]


async def stream_reports(
    session: AsyncSession, date_from: date, date_to: date, status: str | None
) -> AsyncIterator[Sequence[Any]]:
    """Batches of export rows in date order: date, volunteer id and name, project code,
    minutes, status and reviewer; fetched from a server-side cursor."""
    query = (
        select(
            HourReport.work_date,
            HourReport.telegram_id,
            Volunteer.full_name,
            Project.code,
            HourReport.minutes,
            HourReport.status,
            HourReport.reviewed_by,
        )
        .join(Project, Project.id == HourReport.project_id)
        .outerjoin(Volunteer, Volunteer.telegram_id == HourReport.telegram_id)
        .where(HourReport.work_date >= date_from, HourReport.work_date <= date_to)
        .order_by(HourReport.work_date, HourReport.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    if status is not None:
        query = query.where(HourReport.status == status)
    # Core rows straight from the connection: no ORM loading step for a million rows.
    connection = await session.connection()
    result = await connection.stream(query)
    async for batch in result.partitions():
        yield batch
