"""Greenway event fixtures: the test catalog, imported through the real import."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import ImportSummary, import_catalog_text
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.models import Delivery, Event
from tests.support.fixtures import ROME, TEST_NOW

CATALOG = (Path(__file__).parent / "events.yaml").read_text(encoding="utf-8")
POLICY = ReminderPolicy(zone=ROME)

Importer = Callable[..., Awaitable[ImportSummary]]


async def import_events(
    sessions: async_sessionmaker[AsyncSession], text: str = CATALOG, now: datetime = TEST_NOW
) -> ImportSummary:
    return await import_catalog_text(
        sessions, text, "events.yaml", timezone=ROME, now=now, policy=POLICY
    )


async def event_ids(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(select(Event.code, Event.id))
        return {str(code): int(event_id) for code, event_id in rows}


async def deliveries(
    sessions: async_sessionmaker[AsyncSession], key_prefix: str = ""
) -> list[Delivery]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Delivery)
            .where(Delivery.dedup_key.startswith(key_prefix))
            .order_by(Delivery.due_at, Delivery.id)
        )
        return list(rows)


@pytest.fixture
async def catalog(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """The test events imported at TEST_NOW; their ids by code."""
    await import_events(session_factory)
    return await event_ids(session_factory)


async def wait_sent(
    sessions: async_sessionmaker[AsyncSession], key_prefix: str, count: int, within: float = 10
) -> list[Delivery]:
    """Waits until `count` deliveries of the family are recorded as sent (after the send)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        rows = await deliveries(sessions, key_prefix)
        if sum(row.status == "sent" for row in rows) >= count:
            return rows
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError([(row.dedup_key, row.status) for row in rows])
        await asyncio.sleep(0.05)
