"""The greenway events' test catalog, imported through the real import, and its deliveries."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

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


NEW_EVENT = """
  - code: nuova-crostolo
    greenway: crostolo
    title: {it: Pic-nic sul Crostolo, en: Picnic on the Crostolo}
    description: {it: Portate qualcosa da condividere., en: Bring something to share.}
    start: 2026-12-08T10:00
    end: 2026-12-08T12:00
    place: Casa Manfredi
"""
