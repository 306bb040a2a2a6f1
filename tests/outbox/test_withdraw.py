"""Withdrawing queued notices: by key or by a family's prefix, only while still pending."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import queue as outbox
from storage.models import Delivery

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))


async def _queue(session: AsyncSession, key: str) -> None:
    await outbox.queue(
        session,
        recipient_id=7,
        kind="reminder",
        message_key="shift.reminder",
        params={},
        dedup_key=key,
        due_at=NOW + timedelta(hours=1),
        now=NOW,
    )


async def test_withdraw_cancels_by_key_and_prefix_and_leaves_the_rest(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        for key in (
            "reminder:shift:4:user:7:2h",
            "reminder:shift:4:user:7:24h",
            "reminder:shift:41:user:7:2h",
            "nudge:shift:4:user:7",
            "reminder:shift:4%",
        ):
            await _queue(session, key)
        await session.commit()
        withdrawn = await outbox.withdraw(
            session, keys=["nudge:shift:4:user:7"], prefixes=["reminder:shift:4:"]
        )
        await session.commit()
        statuses = dict((await session.execute(select(Delivery.dedup_key, Delivery.status))).all())
    assert withdrawn == 3
    assert statuses == {
        "reminder:shift:4:user:7:2h": "cancelled",
        "reminder:shift:4:user:7:24h": "cancelled",
        "nudge:shift:4:user:7": "cancelled",
        "reminder:shift:41:user:7:2h": "pending",
        "reminder:shift:4%": "pending",
    }
