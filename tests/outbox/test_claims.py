"""Claims: a renewed claim stays its sender's; an unrenewed one passes to whoever claims next."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import queue as outbox
from bot.outbox.claims import worker_id
from storage.models import Delivery

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Rome"))
LEASE = timedelta(seconds=2)


async def queue_three(session: AsyncSession, prefix: str) -> None:
    for user in (1, 2, 3):
        await outbox.queue(
            session,
            recipient_id=user,
            kind="notice",
            message_key="staff.appointed",
            params={},
            dedup_key=f"{prefix}:{user}",
            due_at=NOW,
            now=NOW,
        )
    await session.commit()


async def test_a_renewed_claim_is_never_taken_over_however_long_it_waits(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await queue_three(session, "renewed")
        held = (
            await outbox.claim_due(session, now=NOW, lease=LEASE, limit=10, worker="a:1:x")
        ).deliveries
        moment = NOW
        for _ in range(5):  # the slow sender's heartbeat, over several leases
            moment += LEASE / 4
            await outbox.renew(session, [d.id for d in held], worker="a:1:x", now=moment)
        taken = await outbox.claim_due(session, now=moment, lease=LEASE, limit=10, worker="b:2:y")
    assert sorted(d.recipient_id for d in held) == [1, 2, 3]
    assert taken.deliveries == []


async def test_an_unrenewed_claim_passes_to_any_sender_its_own_former_worker_included(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        await queue_three(session, "unrenewed")
        await outbox.claim_due(session, now=NOW, lease=LEASE, limit=10, worker="a:1:x")
        early = await outbox.claim_due(
            session, now=NOW + LEASE / 2, lease=LEASE, limit=10, worker="b:2:y"
        )
        later = NOW + LEASE * 3
        again = await outbox.claim_due(session, now=later, lease=LEASE, limit=2, worker="a:1:x")
        taken = await outbox.claim_due(session, now=later, lease=LEASE, limit=10, worker="b:2:y")
        # The first worker no longer holds what it lost: its renewal says so.
        kept = await outbox.renew(
            session, [d.id for d in again.deliveries + taken.deliveries], worker="a:1:x", now=later
        )
    assert early.deliveries == []
    assert [d.recipient_id for d in again.deliveries] == [1, 2]
    assert [d.recipient_id for d in taken.deliveries] == [3]
    assert kept == {d.id for d in again.deliveries}


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
        # Neither the first worker's outcome nor its hand-back touches the survivor's claim.
        await outbox.record_sent(session, slow.id, worker="a:1", now=later, message_id=6)
        await outbox.release(session, [slow.id], worker="a:1")
        row = await session.get(Delivery, slow.id, populate_existing=True)
        assert row is not None and (row.status, row.claimed_by) == ("sending", "b:2")
        await outbox.record_sent(session, survivor.id, worker="b:2", now=later, message_id=7)
        await outbox.record_failure(session, slow, worker="a:1", error="timed out")
        row = await session.get(Delivery, slow.id, populate_existing=True)
    assert row is not None
    assert (row.status, row.telegram_message_id, row.last_error) == ("sent", 7, None)


def test_a_restart_with_the_same_host_and_pid_is_another_worker() -> None:
    before, after = worker_id("quartiere:1"), worker_id("quartiere:1")
    assert before.startswith("quartiere:1:") and after.startswith("quartiere:1:")
    assert before != after
    assert len(worker_id("h" * 300 + ":1")) <= 64
