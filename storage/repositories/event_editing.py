"""Greenway events as the staff Mini App edits them: listed per greenway, saved by version."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, Greenway


async def greenways(session: AsyncSession) -> list[Greenway]:
    return list(await session.scalars(select(Greenway).order_by(Greenway.code)))


async def upcoming(session: AsyncSession, now: datetime) -> list[Event]:
    """Events not cancelled and not yet ended, soonest first."""
    query = (
        select(Event)
        .where(Event.cancelled.is_(False), Event.end_at > now)
        .order_by(Event.start_at, Event.id)
    )
    return list(await session.scalars(query))


async def code_taken(session: AsyncSession, code: str) -> bool:
    return await session.scalar(select(Event.id).where(Event.code == code)) is not None


def add(session: AsyncSession, values: Mapping[str, Any]) -> Event:
    event = Event(**values, version=1)
    session.add(event)
    return event


async def save_if_version(
    session: AsyncSession, event_id: int, version: int, values: Mapping[str, Any]
) -> bool:
    """Compare-and-set: writes the values and raises the version only when the row still has
    `version` (one UPDATE, so two saves of the same version never both win)."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.version == version)
        .values(**values, version=Event.version + 1),
        execution_options={"synchronize_session": False},
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount == 1)
