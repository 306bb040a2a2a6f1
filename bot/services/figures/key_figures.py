"""The programme's key figures: active volunteers, approved hours and tutors per project.

Staff see them in Telegram (/report for tutors and admins, /stats for admins) and the office
from the command line (`quartiere-bot stats`). Who may see which projects is decided here,
whatever a button claimed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import pick
from bot.services.figures.periods import Period, period_dates
from bot.services.people import audit
from bot.services.people.roles import Actor
from storage.repositories import hour_figures as repo

FIGURES_HEADER = (
    "project_code",
    "project",
    "active_volunteers",
    "approved_hours",
    "approved_minutes",
    "tutors",
)


class Scope(StrEnum):
    REPORT = "report"  # a tutor's own projects; every project for an admin
    STATS = "stats"  # the whole programme, admins only


class NotAllowed(PermissionError):
    """The figures asked for are not this person's to see."""


# One project's approved hours in the period: code, title, volunteers, minutes, tutors.
ProjectFigures = repo.ProjectTotal


@dataclass(frozen=True)
class MonthFigures:
    project_code: str
    year: int
    month: int
    minutes: int


@dataclass(frozen=True)
class Figures:
    date_from: date
    date_to: date
    projects: tuple[ProjectFigures, ...]  # most approved hours first
    volunteers: int  # each counted once, however many projects they gave hours to
    minutes: int
    tutors: int
    months: tuple[MonthFigures, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.projects


async def key_figures(
    session: AsyncSession,
    date_from: date,
    date_to: date,
    project_ids: Collection[int] | None = None,
    *,
    with_months: bool = False,
) -> Figures:
    """Figures of approved hours from date_from to date_to included; None means every project."""
    totals, overall = await repo.totals(session, date_from, date_to, project_ids)
    months: tuple[MonthFigures, ...] = ()
    if with_months and totals:
        code_of = {total.project_id: total.code for total in totals}
        months = tuple(
            MonthFigures(code_of[m.project_id], m.year, m.month, m.minutes)
            for m in await repo.totals_by_month(session, date_from, date_to, project_ids)
        )
    return Figures(
        date_from=date_from,
        date_to=date_to,
        projects=tuple(totals),
        volunteers=overall.volunteers,
        minutes=overall.minutes,
        tutors=await repo.distinct_tutors(session, [total.project_id for total in totals]),
        months=months,
    )


def may_see(actor: Actor, scope: Scope) -> bool:
    return actor.is_admin or (scope is Scope.REPORT and bool(actor.projects))


async def figures_for(
    session: AsyncSession,
    actor: Actor,
    scope: Scope,
    period: Period,
    today: date,
    now: datetime | None = None,
) -> Figures:
    """The figures of the period for a staff member: a tutor's projects, or all for an admin.

    With `now`, the reading is recorded in the audit log.
    """
    if period is Period.ALL:
        raise ValueError("figures are for a month or a year")
    if not may_see(actor, scope):
        raise NotAllowed(actor.telegram_id)
    project_ids = None if actor.is_admin else sorted(actor.projects)
    date_from, date_to = period_dates(period, today)
    if now is not None:
        target = f"period:{date_from.isoformat()}..{date_to.isoformat()}"
        await audit.record_read(session, actor.telegram_id, f"figures.{scope.value}", target, now)
    return await key_figures(session, date_from, date_to, project_ids, with_months=True)


def hours_figure(minutes: int) -> str:
    """Hours with up to two decimals and a dot, for CSV files: 90 minutes is 1.5."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def figures_rows(
    figures: Figures, locale: str, default_locale: str, total_label: str
) -> list[tuple[str, ...]]:
    """The CSV rows after the header: one per project, then the programme's total."""
    rows: list[tuple[str, ...]] = [
        (
            project.code,
            pick(project.title, locale, default_locale),
            str(project.volunteers),
            hours_figure(project.minutes),
            str(project.minutes),
            str(project.tutors),
        )
        for project in figures.projects
    ]
    rows.append(
        (
            "",
            total_label,
            str(figures.volunteers),
            hours_figure(figures.minutes),
            str(figures.minutes),
            str(figures.tutors),
        )
    )
    return rows
