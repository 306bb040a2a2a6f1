"""Shifts and the places volunteers hold on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, Shift, Signup, SignupStatus

# A place or a position on the waitlist, still held.
HELD = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


async def lock_shift(session: AsyncSession, shift_id: int) -> Shift | None:
    """Takes the shift's write lock first, so simultaneous sign-ups queue up behind it.

    The no-op UPDATE row-locks the shift on PostgreSQL and, as the transaction's first
    write, takes SQLite's database write lock before anything is counted.
    """
    await session.execute(
        update(Shift).where(Shift.id == shift_id).values(capacity=Shift.capacity),
        execution_options={"synchronize_session": False},
    )
    return await session.get(Shift, shift_id, populate_existing=True)


async def project_of(session: AsyncSession, shift: Shift) -> Project:
    project = await session.get(Project, shift.project_id)
    assert project is not None
    return project


async def get_signup(session: AsyncSession, shift_id: int, telegram_id: int) -> Signup | None:
    return await session.scalar(
        select(Signup).where(Signup.shift_id == shift_id, Signup.telegram_id == telegram_id)
    )


async def count_with_status(session: AsyncSession, shift_id: int, status: SignupStatus) -> int:
    count = await session.scalar(
        select(func.count()).where(Signup.shift_id == shift_id, Signup.status == status)
    )
    return int(count or 0)


async def holds_overlapping(
    session: AsyncSession, telegram_id: int, start: datetime, end: datetime, shift_id: int
) -> bool:
    query = (
        select(Signup.id)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(
            Signup.telegram_id == telegram_id,
            Signup.status.in_(HELD),
            Signup.shift_id != shift_id,
            Shift.cancelled.is_(False),
            Shift.start_at < end,
            Shift.end_at > start,
        )
        .limit(1)
    )
    return await session.scalar(query) is not None


async def first_waitlisted(session: AsyncSession, shift_id: int) -> Signup | None:
    return await session.scalar(
        select(Signup)
        .where(Signup.shift_id == shift_id, Signup.status == SignupStatus.WAITLISTED)
        .order_by(Signup.queued_at, Signup.id)
        .limit(1)
    )


async def waitlist_position(session: AsyncSession, signup: Signup) -> int:
    ahead = await session.scalar(
        select(func.count()).where(
            Signup.shift_id == signup.shift_id,
            Signup.status == SignupStatus.WAITLISTED,
            # Spelled out rather than as a row value, so the time is bound as a UTC column value.
            or_(
                Signup.queued_at < signup.queued_at,
                and_(Signup.queued_at == signup.queued_at, Signup.id < signup.id),
            ),
        )
    )
    return int(ahead or 0) + 1


async def upcoming_places(
    session: AsyncSession, telegram_id: int, now: datetime
) -> list[tuple[Signup, Shift, Project]]:
    rows = await session.execute(
        select(Signup, Shift, Project)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(
            Signup.telegram_id == telegram_id,
            Signup.status.in_(HELD),
            Shift.end_at > now,
            Shift.cancelled.is_(False),
        )
        .order_by(Shift.start_at)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def upcoming_shifts(
    session: AsyncSession, project_id: int, now: datetime, limit: int, ending_after: datetime
) -> list[tuple[Shift, int]]:
    """The project's shifts starting after `now` (or ending after `ending_after`, when
    earlier), with how many places are taken."""
    taken = (
        select(Signup.shift_id, func.count().label("taken"))
        .where(Signup.status == SignupStatus.CONFIRMED)
        .group_by(Signup.shift_id)
        .subquery()
    )
    rows = await session.execute(
        select(Shift, func.coalesce(taken.c.taken, 0))
        .outerjoin(taken, taken.c.shift_id == Shift.id)
        .where(
            and_(
                Shift.project_id == project_id,
                or_(Shift.start_at > now, Shift.end_at > ending_after),
                Shift.cancelled.is_(False),
            )
        )
        .order_by(Shift.start_at)
        .limit(limit)
    )
    return [(row[0], int(row[1])) for row in rows]


async def holders(session: AsyncSession, shift_id: int) -> list[Signup]:
    """Who holds a place or a waitlist position on the shift."""
    return list(
        await session.scalars(
            select(Signup).where(Signup.shift_id == shift_id, Signup.status.in_(HELD))
        )
    )


async def get_shift(session: AsyncSession, shift_id: int) -> Shift | None:
    return await session.get(Shift, shift_id)


async def latest_queued(session: AsyncSession, shift_id: int) -> datetime | None:
    return await session.scalar(
        select(func.max(Signup.queued_at)).where(Signup.shift_id == shift_id)
    )


async def at_hub_between(
    session: AsyncSession, hub_id: int, start: datetime, end: datetime
) -> list[tuple[Shift, Project]]:
    """The hub's projects' shifts, not cancelled, overlapping [start, end), by start."""
    rows = await session.execute(
        select(Shift, Project)
        .join(Project, Project.id == Shift.project_id)
        .where(
            Project.hub_id == hub_id,
            Shift.cancelled.is_(False),
            Shift.start_at < end,
            Shift.end_at > start,
        )
        .order_by(Shift.start_at)
    )
    return [(row[0], row[1]) for row in rows]
