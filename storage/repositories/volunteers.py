"""The volunteer register: its current state and its append-only entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RegisterEntry, Volunteer


async def get_volunteer(session: AsyncSession, telegram_id: int) -> Volunteer | None:
    return await session.get(Volunteer, telegram_id)


def add_volunteer(session: AsyncSession, volunteer: Volunteer) -> None:
    session.add(volunteer)


def add_entry(
    session: AsyncSession,
    telegram_id: int,
    action: str,
    data: dict[str, Any],
    now: datetime,
    recorded_by: int | None = None,
) -> None:
    session.add(
        RegisterEntry(
            telegram_id=telegram_id,
            recorded_at=now,
            action=action,
            data=data,
            recorded_by=recorded_by,
        )
    )


async def set_identity_verified(session: AsyncSession, telegram_id: int, verified: bool) -> bool:
    """Sets the identity mark only if it is still the opposite; False when someone else
    changed it first (the condition inside the UPDATE makes them exclusive). The loaded
    volunteer, if any, is updated too."""
    result = await session.execute(
        update(Volunteer)
        .where(Volunteer.telegram_id == telegram_id, Volunteer.identity_verified == (not verified))
        .values(identity_verified=verified)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def last_entry(session: AsyncSession, telegram_id: int, action: str) -> RegisterEntry | None:
    return await session.scalar(
        select(RegisterEntry)
        .where(RegisterEntry.telegram_id == telegram_id, RegisterEntry.action == action)
        .order_by(RegisterEntry.recorded_at.desc(), RegisterEntry.id.desc())
        .limit(1)
    )
