"""No delivery stranded, none doubled: failed outcome writes, lost claims, slow backlogs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.outbox import queue as outbox
from storage.repositories import outbox as repo
from tests.outbox.rig import OutboxRig, Starter


def failing_first(calls: int, original: Callable[..., Any]) -> Callable[..., Any]:
    """`original`, except that its first `calls` calls fail as a dropped connection would."""
    failures = iter(range(calls))

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if next(failures, None) is not None:
            raise OperationalError("UPDATE deliveries", {}, ConnectionResetError("reset"))
        return await original(*args, **kwargs)

    return flaky


async def queue_for(rig: OutboxRig, recipients: range, prefix: str) -> None:
    for user in recipients:
        rig.emulator.register_user(user)
        await rig.queue(user, f"{prefix}:{user}")


def received(rig: OutboxRig, recipients: range) -> list[int]:
    return [rig.emulator.bot_message_count(user) for user in recipients]


async def test_an_outcome_whose_write_failed_is_written_later_and_nothing_is_sent_twice(
    start_outbox: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo, "set_outcome", failing_first(3, repo.set_outcome))
    rig = await start_outbox(per_chat_interval=0.0)
    recipients = range(1100, 1105)
    await queue_for(rig, recipients, "unwritten")
    rows = await rig.wait_settled(len(recipients))
    await asyncio.sleep(0.5)
    assert [row.status for row in rows] == ["sent"] * len(recipients)
    assert all(row.telegram_message_id for row in rows)
    assert received(rig, recipients) == [1] * len(recipients)


async def test_deliveries_claimed_but_lost_from_memory_are_taken_back_by_the_same_sender(
    start_outbox: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = outbox.claim_due

    async def claim_lost_after_commit(*args: Any, **kwargs: Any) -> outbox.Claim:
        claim = await original(*args, **kwargs)
        if not claim.deliveries:
            return claim
        monkeypatch.setattr(outbox, "claim_due", original)
        # Committed, but the answer never reached the sender.
        raise OperationalError("SELECT users", {}, ConnectionResetError("reset"))

    monkeypatch.setattr(outbox, "claim_due", claim_lost_after_commit)
    rig = await start_outbox(per_chat_interval=0.0, outbox_lease=timedelta(seconds=1))
    recipients = range(1200, 1205)
    await queue_for(rig, recipients, "lost")
    rows = await rig.wait_settled(len(recipients))
    await asyncio.sleep(0.5)
    assert [row.status for row in rows] == ["sent"] * len(recipients)
    assert received(rig, recipients) == [1] * len(recipients)


async def test_a_live_senders_backlog_older_than_the_lease_is_never_sent_twice(
    start_outbox: Starter,
) -> None:
    # The slow sender holds 2 x 4 + 10 = 18 deliveries: 9 s of sending at 2 a second, far
    # longer than the two-second lease; the fast one claims beside it all along.
    slow = await start_outbox(
        broadcast_rate=2, per_chat_interval=0.0, outbox_lease=timedelta(seconds=2)
    )
    recipients = range(1300, 1330)
    await queue_for(slow, recipients, "backlog")
    await slow.emulator.wait_until(lambda: sum(received(slow, recipients)) >= 2, timeout=20)
    fast = await start_outbox(
        server=slow.server,
        clock=slow.clock,
        broadcast_rate=50,
        per_chat_interval=0.0,
        outbox_lease=timedelta(seconds=2),
    )
    rows = await fast.wait_settled(len(recipients), within=60)
    await asyncio.sleep(1.5)  # a double would arrive by now
    assert [row.status for row in rows] == ["sent"] * len(recipients)
    assert received(slow, recipients) == [1] * len(recipients)
    assert len({row.claimed_by for row in rows}) == 2  # both sent
