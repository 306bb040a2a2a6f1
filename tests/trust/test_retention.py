"""The retention job removes what has outlived its period, and only that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.runtime.scheduler import create_scheduler
from bot.services.people import privacy, retention
from storage.models import ConversationState, Delivery, StaffRemoval, User, Volunteer
from tests.support.harness import BotHarness
from tests.support.programme import MARIA, PIERO
from tests.trust.trust import Trust

LONG_GONE = 5550


def _delivery(key: str, recipient: int, created: object, status: str) -> Delivery:
    return Delivery(
        recipient_id=recipient,
        kind="test",
        priority=5,
        message_key="staff.appointed",
        params={},
        dedup_key=key,
        due_at=created,
        status=status,
        attempts=0,
        created_at=created,
    )


async def test_old_deliveries_stale_conversations_and_long_inactive_users_go(
    trust: Trust,
) -> None:
    bot = trust.bot
    now = bot.clock.now()
    old = now - retention.DELIVERIES - timedelta(days=1)
    await bot.say(PIERO, "/start", language_code="en")
    async with bot.sessions() as session:
        session.add_all(
            [
                _delivery("old-sent", PIERO, old, "sent"),
                _delivery("old-pending", PIERO, old, "pending"),  # still to send: kept
                _delivery("new-sent", PIERO, now, "sent"),
                ConversationState(
                    key=f"fsm:1:{LONG_GONE}:{LONG_GONE}:default", state="x", data={}, updated_at=old
                ),
                User(
                    telegram_id=LONG_GONE,
                    created_at=now - timedelta(days=1000),
                    last_seen_at=now - retention.INACTIVE_USERS - timedelta(days=1),
                ),
            ]
        )
        # Maria is in the register: however long she is away, her profile stays.
        maria = await session.get(User, MARIA)
        assert maria is not None
        maria.last_seen_at = now - timedelta(days=3000)
        await session.commit()
    async with bot.sessions() as session:
        purged = await retention.purge_expired(session, now)
    assert (purged.deliveries, purged.conversations, purged.users) == (1, 1, 1)
    async with bot.sessions() as session:
        keys = set(await session.scalars(select(Delivery.dedup_key)))
        assert "old-sent" not in keys and {"old-pending", "new-sent"} <= keys
        assert await session.get(User, LONG_GONE) is None
        assert await session.get(User, PIERO) is not None
        assert await session.get(User, MARIA) is not None
        assert await session.get(Volunteer, MARIA) is not None
    async with bot.sessions() as session:
        again = await retention.purge_expired(session, now)
    assert (again.deliveries, again.conversations, again.users) == (0, 0, 0)


def test_the_scheduler_runs_the_retention_job_nightly(harness: BotHarness) -> None:
    scheduler = create_scheduler(harness.settings, harness.sessions, harness.clock)
    job = scheduler.get_job("privacy-retention")
    assert job is not None
    assert str(job.trigger) == "cron[hour='3', minute='30']"


async def test_a_staff_removal_is_remembered_as_long_as_the_audit_log_and_shown_in_mydata(
    trust: Trust,
) -> None:
    bot = trust.bot
    now = bot.clock.now()
    async with bot.sessions() as session:
        session.add_all(
            [
                StaffRemoval(telegram_id=PIERO, removed_at=now - timedelta(days=10)),
                StaffRemoval(
                    telegram_id=LONG_GONE, removed_at=now - retention.AUDIT_LOG - timedelta(days=1)
                ),
            ]
        )
        await session.commit()
    async with bot.sessions() as session:
        await retention.purge_expired(session, now)
    async with bot.sessions() as session:
        assert await session.get(StaffRemoval, PIERO) is not None
        assert await session.get(StaffRemoval, LONG_GONE) is None
        document = await privacy.my_data(session, PIERO)
    assert document["removed_from_staff_at"] == (now - timedelta(days=10)).isoformat()
