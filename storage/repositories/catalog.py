"""Catalog rows (quartieri, services, hubs, projects, shifts, greenways, events): the reads
the features share, and the import's reads and upserts by code.

Upserts change only what differs, so that an import can tell created, updated and
unchanged items apart; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    Greenway,
    Hub,
    Project,
    ProjectTutor,
    Quartiere,
    Service,
    Shift,
    Staff,
    StaffRole,
)

CodedRow = TypeVar("CodedRow", Quartiere, Service, Hub, Project, Greenway, Event)
T = TypeVar("T")
# Keeps `IN (...)` lists well below the bound-parameter limits of SQLite and asyncpg.
_CHUNK = 500


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"  # only what an import replaces whole, such as a hub's closures


async def list_quartieri(session: AsyncSession) -> list[Quartiere]:
    return list(await session.scalars(select(Quartiere).order_by(Quartiere.name)))


async def list_greenways(session: AsyncSession) -> list[Greenway]:
    return list(await session.scalars(select(Greenway).order_by(Greenway.code)))


async def get_project(session: AsyncSession, project_id: int) -> Project | None:
    return await session.get(Project, project_id)


async def project_by_code(session: AsyncSession, code: str) -> Project | None:
    return await session.scalar(select(Project).where(Project.code == code))


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


async def find_by_codes(
    session: AsyncSession, model: type[CodedRow], codes: Iterable[str]
) -> dict[str, CodedRow]:
    found: dict[str, CodedRow] = {}
    for chunk in _chunks(sorted(set(codes))):
        rows = await session.scalars(select(model).where(model.code.in_(chunk)))
        found.update((row.code, row) for row in rows)
    return found


def apply_values(row: object, values: Mapping[str, Any]) -> bool:
    """Sets the attributes that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def upsert_by_code(
    session: AsyncSession,
    model: type[CodedRow],
    existing: CodedRow | None,
    code: str,
    values: Mapping[str, Any],
) -> tuple[CodedRow, Outcome]:
    """The row for `code`, added when `existing` is None, else updated in place."""
    if existing is None:
        row = model(code=code, **values)
        session.add(row)
        return row, Outcome.CREATED
    return existing, Outcome.UPDATED if apply_values(existing, values) else Outcome.UNCHANGED


def set_hub_services(hub: Hub, services: Sequence[Service]) -> bool:
    """Makes the hub offer exactly these services; whether that changed anything."""
    if set(hub.services) == set(services):
        return False
    hub.services = list(services)
    return True


async def shifts_by_codes(session: AsyncSession, codes: Iterable[str]) -> dict[str, Shift]:
    found: dict[str, Shift] = {}
    for chunk in _chunks(sorted(set(codes))):
        rows = await session.scalars(select(Shift).where(Shift.code.in_(chunk)))
        found.update((row.code, row) for row in rows if row.code is not None)
    return found


async def shifts_of_projects(session: AsyncSession, project_ids: Iterable[int]) -> list[Shift]:
    found: list[Shift] = []
    for chunk in _chunks(sorted(set(project_ids))):
        found.extend(await session.scalars(select(Shift).where(Shift.project_id.in_(chunk))))
    return found


def upsert_shift(
    session: AsyncSession, existing: Shift | None, values: Mapping[str, Any]
) -> tuple[Shift, Outcome]:
    """A shift found by code or by (project, start) is updated; None adds one."""
    if existing is None:
        row = Shift(**values)
        session.add(row)
        return row, Outcome.CREATED
    return existing, Outcome.UPDATED if apply_values(existing, values) else Outcome.UNCHANGED


async def project_codes(session: AsyncSession, project_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(sorted(set(project_ids))):
        rows = await session.execute(select(Project.id, Project.code).where(Project.id.in_(chunk)))
        found.update((project_id, code) for project_id, code in rows)
    return found


async def add_tutors(
    session: AsyncSession, tutors: Mapping[int, Collection[int]], now: datetime
) -> tuple[list[tuple[int, int]], list[int]]:
    """Makes each Telegram id a tutor of its project (project id -> ids).

    An id that is not staff yet becomes a tutor; staff keep their role (an admin stays
    admin). Returns the tutorships added (project id, Telegram id) and the ids that
    became staff.
    """
    existing: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted(tutors)):
        rows = await session.execute(
            select(ProjectTutor.project_id, ProjectTutor.telegram_id).where(
                ProjectTutor.project_id.in_(chunk)
            )
        )
        existing.update((project_id, telegram_id) for project_id, telegram_id in rows)
    wanted = {(project, tutor) for project, ids in tutors.items() for tutor in ids}
    for project_id, telegram_id in sorted(wanted - existing):
        session.add(ProjectTutor(project_id=project_id, telegram_id=telegram_id))
    new_staff = await _add_tutor_staff(session, {tutor for _, tutor in wanted}, now)
    return sorted(wanted - existing), new_staff


async def _add_tutor_staff(
    session: AsyncSession, telegram_ids: set[int], now: datetime
) -> list[int]:
    """Gives the tutor's role to those listed without it (an admin listed too holds both);
    returns those who held no staff role before."""
    known: set[int] = set()
    tutors: set[int] = set()
    for chunk in _chunks(sorted(telegram_ids)):
        rows = await session.execute(
            select(Staff.telegram_id, Staff.role).where(Staff.telegram_id.in_(chunk))
        )
        for telegram_id, role in rows:
            known.add(telegram_id)
            if role is StaffRole.TUTOR:
                tutors.add(telegram_id)
    session.add_all(
        Staff(telegram_id=tid, role=StaffRole.TUTOR, created_at=now)
        for tid in sorted(telegram_ids - tutors)
    )
    return sorted(telegram_ids - known)


async def catalog_is_empty(session: AsyncSession) -> bool:
    """Whether no quartiere, service, hub, project, greenway or event was ever imported."""
    for model in (Quartiere, Service, Hub, Project, Greenway, Event):
        if await session.scalar(select(model.id).limit(1)) is not None:
            return False
    return True


async def all_by_code(session: AsyncSession, model: type[CodedRow]) -> list[CodedRow]:
    """Every row of a catalog section, by code (the export's order)."""
    return list(await session.scalars(select(model).order_by(model.code)))


async def all_shifts(session: AsyncSession) -> list[Shift]:
    """Every shift, by project and start."""
    return list(await session.scalars(select(Shift).order_by(Shift.project_id, Shift.start_at)))


async def tutor_pairs(session: AsyncSession) -> list[tuple[int, int]]:
    """(project id, Telegram id) of every tutorship."""
    rows = await session.execute(select(ProjectTutor.project_id, ProjectTutor.telegram_id))
    return sorted((project_id, telegram_id) for project_id, telegram_id in rows)
