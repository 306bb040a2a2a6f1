"""Claims: an expired claim passes to another process, never back to the one holding it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import queue as outbox

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))
LEASE = timedelta(seconds=2)


async def test_a_slow_sender_never_reclaims_its_own_deliveries_but_a_survivor_does(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        for user in (1, 2, 3):
            await outbox.queue(
                session,
                recipient_id=user,
                kind="notice",
                message_key="staff.appointed",
                params={},
                dedup_key=f"claims:{user}",
                due_at=NOW,
                now=NOW,
            )
        await session.commit()
        first = await outbox.claim_due(session, now=NOW, lease=LEASE, limit=10, worker="a:1")
        later = NOW + LEASE * 3
        again = await outbox.claim_due(session, now=later, lease=LEASE, limit=10, worker="a:1")
        taken_over = await outbox.claim_due(session, now=later, lease=LEASE, limit=10, worker="b:2")
    assert sorted(d.recipient_id for d in first) == [1, 2, 3]
    assert again == []
    assert sorted(d.recipient_id for d in taken_over) == [1, 2, 3]
