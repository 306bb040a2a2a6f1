"""Outbox rows: queue, claim atomically, and record what happened to each delivery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Announcement, Delivery, DeliveryStatus, User

PENDING, SENDING = DeliveryStatus.PENDING, DeliveryStatus.SENDING
# Why a delivery of a cancelled announcement was withdrawn, before or after its claim.
ANNOUNCEMENT_CANCELLED = "the announcement was cancelled"


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def add_delivery(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Inserts unless the de-duplication key is taken; True when a row was added."""
    insert = pg_insert if _is_postgres(session) else sqlite_insert
    statement = (
        insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["dedup_key"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def skip_unreachable_due(session: AsyncSession, now: datetime) -> None:
    unreachable = select(User.telegram_id).where(User.unreachable_at.is_not(None))
    await session.execute(
        update(Delivery)
        .where(
            Delivery.status == PENDING,
            Delivery.due_at <= now,
            Delivery.recipient_id.in_(unreachable),
        )
        .values(status=DeliveryStatus.SKIPPED, last_error="the user has blocked the bot")
    )


async def claim_due(
    session: AsyncSession, now: datetime, lease_expired_before: datetime, limit: int, worker: str
) -> list[Delivery]:
    """Marks up to `limit` due deliveries as being sent by `worker` and returns them.

    A claim lasts until `lease_expired_before` catches up with its `claimed_at`, which the
    live sender keeps renewing (`renew_claims`): an expired claim belongs to a sender that
    died, or to one that no longer holds it in memory (its outcome could not be written), so
    any sender takes it, its own former worker included.
    On PostgreSQL, SKIP LOCKED lets two processes claim at once without taking the same row
    (and a renewal under way keeps its rows); SQLite serialises writers, so the UPDATE alone
    is atomic.
    """
    due = (
        select(Delivery.id)
        .where(
            or_(
                and_(Delivery.status == PENDING, Delivery.due_at <= now),
                and_(Delivery.status == SENDING, Delivery.claimed_at < lease_expired_before),
            )
        )
        .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
        .limit(limit)
    )
    if _is_postgres(session):
        due = due.with_for_update(skip_locked=True)
    claimed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(due.scalar_subquery()))
        .values(status=SENDING, claimed_at=now, claimed_by=worker)
        .returning(Delivery),
        execution_options={"synchronize_session": False},
    )
    return sorted(claimed, key=lambda row: (row.priority, row.due_at, row.id))


async def take_over(
    session: AsyncSession, now: datetime, lease_expired_before: datetime, limit: int, worker: str
) -> list[Delivery]:
    """Claims up to `limit` expired claims alone, whatever is due: a dead sender's backlog."""
    expired = (
        select(Delivery.id)
        .where(Delivery.status == SENDING, Delivery.claimed_at < lease_expired_before)
        .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
        .limit(limit)
    )
    if _is_postgres(session):
        expired = expired.with_for_update(skip_locked=True)
    claimed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(expired.scalar_subquery()))
        .values(claimed_at=now, claimed_by=worker)
        .returning(Delivery),
        execution_options={"synchronize_session": False},
    )
    return sorted(claimed, key=lambda row: (row.priority, row.due_at, row.id))


def _held_by(worker: str) -> ColumnElement[bool]:
    """Still this worker's claim: not taken over, withdrawn or skipped in the meantime."""
    return and_(Delivery.status == SENDING, Delivery.claimed_by == worker)


async def renew_claims(
    session: AsyncSession, delivery_ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """Renews the claims `worker` still holds among these; returns the ids it still holds."""
    if not delivery_ids:
        return set()
    renewed = await session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), _held_by(worker))
        .values(claimed_at=now)
        .returning(Delivery.id),
        execution_options={"synchronize_session": False},
    )
    return set(renewed)


async def locales_of(
    session: AsyncSession, recipient_ids: Sequence[int]
) -> dict[int, tuple[str | None, str | None]]:
    rows = await session.execute(
        select(User.telegram_id, User.chosen_locale, User.telegram_locale).where(
            User.telegram_id.in_(recipient_ids)
        )
    )
    return {row[0]: (row[1], row[2]) for row in rows}


async def last_replies(session: AsyncSession, recipient_ids: Sequence[int]) -> dict[int, datetime]:
    """When the bot last answered each of these users, for those it has answered."""
    rows = await session.execute(
        select(User.telegram_id, User.last_reply_at).where(
            User.telegram_id.in_(recipient_ids), User.last_reply_at.is_not(None)
        )
    )
    return {row[0]: row[1] for row in rows if row[1] is not None}


async def record_replies(session: AsyncSession, chat_ids: Sequence[int], at: datetime) -> None:
    """The bot has just answered in these chats (a chat without a user row is no recipient)."""
    await session.execute(
        update(User)
        .where(User.telegram_id.in_(chat_ids))
        .values(last_reply_at=at)
        .execution_options(synchronize_session=False)
    )


async def has_unsent(session: AsyncSession, recipient_id: int, kind: str) -> bool:
    """Whether a delivery of this kind to this user still waits or is being sent."""
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.recipient_id == recipient_id,
            Delivery.kind == kind,
            Delivery.status.in_((PENDING, SENDING)),
        )
        .limit(1)
    )
    return found is not None


async def set_outcome(session: AsyncSession, delivery_id: int, worker: str, **values: Any) -> None:
    """Records what became of a delivery, only while `worker` holds its claim: a claim taken
    over after it expired, or a withdrawn delivery, has its outcome from elsewhere."""
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id, _held_by(worker)).values(**values)
    )


async def cancelled_announcements(
    session: AsyncSession, announcement_ids: Sequence[int]
) -> set[int]:
    """Those of these announcements that were cancelled."""
    if not announcement_ids:
        return set()
    rows = await session.scalars(
        select(Announcement.id).where(
            Announcement.id.in_(announcement_ids), Announcement.cancelled_at.is_not(None)
        )
    )
    return set(rows)


async def withdraw_claimed(
    session: AsyncSession, delivery_ids: Sequence[int], reason: str, worker: str
) -> None:
    """Claimed deliveries that must not be sent become cancelled, if `worker` still holds them."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), _held_by(worker))
        .values(status=DeliveryStatus.CANCELLED, withdrawn_reason=reason)
    )


async def release(session: AsyncSession, delivery_ids: Sequence[int], worker: str) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), _held_by(worker))
        .values(status=PENDING, claimed_at=None)
    )


async def mark_unreachable(session: AsyncSession, recipient_id: int, now: datetime) -> None:
    await session.execute(
        update(User).where(User.telegram_id == recipient_id).values(unreachable_at=now)
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.recipient_id == recipient_id, Delivery.status.in_((PENDING, SENDING)))
        .values(status=DeliveryStatus.SKIPPED, last_error="the user has blocked the bot")
    )


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return {status: int(count) for status, count in rows}


async def get_delivery(session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def cancel_pending(
    session: AsyncSession, keys: Sequence[str], prefixes: Sequence[str], reason: str
) -> int:
    """Cancels the pending deliveries whose key is one of `keys` or starts with a prefix."""
    matches: list[ColumnElement[bool]] = [Delivery.dedup_key.in_(keys)] if keys else []
    matches += [Delivery.dedup_key.startswith(prefix, autoescape=True) for prefix in prefixes]
    if not matches:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == PENDING, or_(*matches))
        .values(status=DeliveryStatus.CANCELLED, withdrawn_reason=reason)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def sent_with_prefixes(session: AsyncSession, prefixes: Sequence[str]) -> list[Delivery]:
    """The sent deliveries whose key starts with one of `prefixes`, with their message ids."""
    if not prefixes:
        return []
    matches = [Delivery.dedup_key.startswith(prefix, autoescape=True) for prefix in prefixes]
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.status == DeliveryStatus.SENT,
            Delivery.telegram_message_id.is_not(None),
            or_(*matches),
        )
        .order_by(Delivery.id)
    )
    return list(rows)
