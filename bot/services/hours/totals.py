"""A volunteer's own hours: approved and pending, this month, this year and overall.

The sums come from one SQL aggregation; the pending reports are listed to correct or
withdraw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.hours.reports import ProjectChoice, Report, Rules, as_report, project_choice
from storage.models import HourReportStatus
from storage.repositories import hours as repo


@dataclass(frozen=True)
class Minutes:
    """Minutes in three periods ending today."""

    month: int = 0
    year: int = 0
    overall: int = 0

    def __add__(self, other: Minutes) -> Minutes:
        return Minutes(
            self.month + other.month, self.year + other.year, self.overall + other.overall
        )


@dataclass(frozen=True)
class ProjectTotals:
    project: ProjectChoice
    approved: Minutes = field(default_factory=Minutes)
    pending: Minutes = field(default_factory=Minutes)


@dataclass(frozen=True)
class HourTotals:
    month_start: date
    projects: tuple[ProjectTotals, ...]

    @property
    def approved(self) -> Minutes:
        return sum((p.approved for p in self.projects), Minutes())

    @property
    def pending(self) -> Minutes:
        return sum((p.pending for p in self.projects), Minutes())


@dataclass(frozen=True)
class MyHours:
    totals: HourTotals
    pending_reports: tuple[Report, ...]


async def hour_totals(session: AsyncSession, telegram_id: int, rules: Rules) -> HourTotals:
    today = rules.today
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    by_project: dict[int, ProjectTotals] = {}
    for project, status, overall, year, month in await repo.totals(
        session, telegram_id, year_start, month_start
    ):
        current = by_project.get(project.id) or ProjectTotals(project_choice(project))
        minutes = Minutes(month, year, overall)
        if status == HourReportStatus.APPROVED:
            current = ProjectTotals(current.project, minutes, current.pending)
        else:
            current = ProjectTotals(current.project, current.approved, minutes)
        by_project[project.id] = current
    return HourTotals(month_start, tuple(by_project.values()))


async def my_hours(session: AsyncSession, telegram_id: int, rules: Rules) -> MyHours:
    """What /myhours shows: the totals and the reports still awaiting a tutor."""
    totals = await hour_totals(session, telegram_id, rules)
    pending = tuple(
        as_report(report, project)
        for report, project in await repo.pending_of(session, telegram_id)
    )
    return MyHours(totals, pending)
