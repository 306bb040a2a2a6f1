"""Checks of a parsed catalog against the database, before anything is written.

A file may refer to services, hubs and greenways imported before, and may add or move
shifts of projects imported before; here those references are resolved, and the
existing shift each of the file's shifts stands for is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalog.model import Catalog, Problem, ProjectEntry
from storage.models import Greenway, Hub, Project, Service, Shift
from storage.repositories import catalog as repo

# cache: a constant lookup table, only read
_KINDS = {"services": "service", "hubs": "hub", "greenways": "greenway"}

# A shift of the file: its project's code and its position among that project's shifts.
ShiftKey = tuple[str, int]


@dataclass
class ShiftPlan:
    """The existing row each shift of the file updates; shifts not here are new."""

    matches: dict[ShiftKey, Shift] = field(default_factory=dict)


async def check_against_database(
    session: AsyncSession, catalog: Catalog
) -> tuple[ShiftPlan, list[Problem]]:
    problems = await _unknown_references(session, catalog)
    plan, shift_problems = await _plan_shifts(session, catalog)
    return plan, problems + shift_problems


async def _unknown_references(session: AsyncSession, catalog: Catalog) -> list[Problem]:
    outside = [ref for ref in catalog.references if not catalog.defines(ref.section, ref.code)]

    def wanted(section: str) -> set[str]:
        return {ref.code for ref in outside if ref.section == section}

    stored = {
        "services": set(await repo.find_by_codes(session, Service, wanted("services"))),
        "hubs": set(await repo.find_by_codes(session, Hub, wanted("hubs"))),
        "greenways": set(await repo.find_by_codes(session, Greenway, wanted("greenways"))),
    }
    return [
        Problem(ref.line, f"unknown {_KINDS[ref.section]} {ref.code!r}")
        for ref in outside
        if ref.code not in stored[ref.section]
    ]


async def _plan_shifts(session: AsyncSession, catalog: Catalog) -> tuple[ShiftPlan, list[Problem]]:
    projects = [project for project in catalog.projects if project.shifts]
    existing = await repo.find_by_codes(session, Project, {p.code for p in projects})
    codes = {shift.code for p in projects for shift in p.shifts if shift.code is not None}
    by_code = await repo.shifts_by_codes(session, codes)
    of_projects = await repo.shifts_of_projects(session, {p.id for p in existing.values()})
    owners = await repo.project_codes(session, {shift.project_id for shift in by_code.values()})
    plan = ShiftPlan()
    problems: list[Problem] = []
    for project in projects:
        row = existing.get(project.code)
        project_id = row.id if row is not None else None
        rows = [shift for shift in of_projects if shift.project_id == project_id]
        problems += _match_project(plan, project, project_id, rows, by_code, owners)
    return plan, problems


def _match_project(
    plan: ShiftPlan,
    project: ProjectEntry,
    project_id: int | None,
    rows: list[Shift],
    by_code: dict[str, Shift],
    owners: dict[int, str],
) -> list[Problem]:
    problems: list[Problem] = []
    claimed: set[int] = set()
    # First by code, the stronger identity.
    for index, shift in enumerate(project.shifts):
        row = by_code.get(shift.code) if shift.code is not None else None
        if row is None:
            continue
        if row.project_id != project_id:
            owner = owners.get(row.project_id, "?")
            problems.append(
                Problem(
                    shift.line, f"shift code {shift.code!r} already belongs to project {owner!r}"
                )
            )
            continue
        plan.matches[(project.code, index)] = row
        claimed.add(row.id)
    # Then by start: a shift without a code, or a new code given to a shift that had none.
    by_start = {row.start_at: row for row in rows}
    for index, shift in enumerate(project.shifts):
        if (project.code, index) in plan.matches:
            continue
        row = by_start.get(shift.start)
        if row is not None and row.id not in claimed and (shift.code is None or row.code is None):
            plan.matches[(project.code, index)] = row
            claimed.add(row.id)
    return problems + _collisions(plan, project, rows, claimed)


def _collisions(
    plan: ShiftPlan, project: ProjectEntry, rows: list[Shift], claimed: set[int]
) -> list[Problem]:
    """Shifts that would start when another shift of the project, not in the file, does."""
    staying = {row.start_at: row for row in rows if row.id not in claimed}
    problems: list[Problem] = []
    for shift in project.shifts:
        other = staying.get(shift.start)
        if other is None:
            continue
        named = f" (code {other.code!r})" if other.code else ""
        problems.append(
            Problem(
                shift.start_line,
                f"project {project.code!r} already has another shift{named} starting at this time",
            )
        )
    return problems
