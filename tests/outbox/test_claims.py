"""Claims: an expired claim passes to another process, never back to the one holding it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import queue as outbox
from storage.models import Delivery

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
        first = (
            await outbox.claim_due(session, now=NOW, lease=LEASE, limit=10, worker="a:1")
        ).deliveries
        later = NOW + LEASE * 3
        again = (
            await outbox.claim_due(session, now=later, lease=LEASE, limit=10, worker="a:1")
        ).deliveries
        taken_over = (
            await outbox.claim_due(session, now=later, lease=LEASE, limit=10, worker="b:2")
        ).deliveries
    assert sorted(d.recipient_id for d in first) == [1, 2, 3]
    assert again == []
    assert sorted(d.recipient_id for d in taken_over) == [1, 2, 3]


async def test_a_late_outcome_never_overwrites_a_delivery_another_sender_took_over(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await outbox.queue(
            session,
            recipient_id=1,
            kind="notice",
            message_key="staff.appointed",
            params={},
            dedup_key="claims:late",
            due_at=NOW,
            now=NOW,
        )
        await session.commit()
        [slow] = (
            await outbox.claim_due(session, now=NOW, lease=LEASE, limit=1, worker="a:1")
        ).deliveries
        later = NOW + LEASE * 3
        [survivor] = (
            await outbox.claim_due(session, now=later, lease=LEASE, limit=1, worker="b:2")
        ).deliveries
        await outbox.record_sent(session, survivor.id, now=later, message_id=7)
        await outbox.record_failure(session, slow, error="timed out")
        row = await session.get(Delivery, slow.id, populate_existing=True)
    assert row is not None
    assert (row.status, row.telegram_message_id, row.last_error) == ("sent", 7, None)
