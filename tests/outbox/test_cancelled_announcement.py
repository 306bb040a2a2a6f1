"""Cancelling an announcement half-way: the sender withdraws what it holds of it."""

from __future__ import annotations

import asyncio

from bot.services.announcements import compose
from bot.services.people import roles
from storage.models import Announcement, DeliveryStatus
from storage.repositories import outbox as outbox_repo
from tests.outbox.rig import OutboxRig, Starter
from tests.support.fixtures import ADMIN_ID

RECIPIENTS = range(700, 740)


async def _announce(rig: OutboxRig) -> int:
    now = rig.clock.now()
    async with rig.sessions() as session:
        announcement = Announcement(
            token="cancelled-half-way",
            created_at=now,
            text="Avviso",
            audience="all",
            send_at=now,
            recipients=len(RECIPIENTS),
        )
        session.add(announcement)
        await session.flush()
        for user in RECIPIENTS:
            await outbox_repo.add_delivery(
                session,
                {
                    "recipient_id": user,
                    "kind": "announcement",
                    "priority": 9,
                    "message_key": "announcement",
                    "params": {"text": "Avviso", "token": announcement.token},
                    "dedup_key": f"announcement:{announcement.id}:{user}",
                    "due_at": now,
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "created_at": now,
                    "announcement_id": announcement.id,
                },
            )
        await session.commit()
        return announcement.id


async def test_after_cancel_only_the_send_already_on_its_way_leaves(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox(broadcast_rate=4)
    for user in RECIPIENTS:
        rig.emulator.register_user(user)

    def sent() -> int:
        return sum(1 for call in rig.emulator.calls_to("sendMessage") if call.ok)

    announcement_id = await _announce(rig)
    await rig.emulator.wait_until(lambda: sent() >= 3, 10)
    async with rig.sessions() as session:  # what it claimed is in the sender's memory now
        office = roles.Actor(ADMIN_ID, frozenset({roles.Role.ADMIN}))
        await compose.cancel(session, announcement_id, actor=office, now=rig.clock.now())
    at_cancel = sent()
    rows = await rig.wait_settled(len(RECIPIENTS))
    await asyncio.sleep(1.0)
    assert sent() <= at_cancel + 1  # at 4 a second, four more would have left by now
    delivered = [row for row in rows if row.status == DeliveryStatus.SENT]
    withdrawn = [row for row in rows if row.status == DeliveryStatus.CANCELLED]
    assert len(delivered) == sent() and len(delivered) + len(withdrawn) == len(RECIPIENTS)
    assert {(row.withdrawn_reason, row.last_error) for row in withdrawn} == {
        ("the announcement was cancelled", None)
    }
