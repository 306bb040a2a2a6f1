"""The volunteer register: its current state and its append-only entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
