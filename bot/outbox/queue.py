"""The outbox: everything the bot sends on its own initiative goes through here.

`queue` adds a delivery inside the caller's transaction (so a notice exists exactly when
the change that causes it was committed); the sender claims due deliveries and records
what happened to each of them with the other functions here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryStatus
from storage.repositories import outbox as repo
from storage.repositories import reminders as reminders_repo

URGENT, NORMAL, BULK = 0, 5, 9
# A reply Telegram held back while the bot answered: the user is waiting for it.
REPLY = -1


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery, with what the sender needs to render and send it."""

    id: int
    recipient_id: int
    kind: str
    priority: int
    message_key: str
    params: dict[str, Any]
    attempts: int
    chosen_locale: str | None
    telegram_locale: str | None
    announcement_id: int | None = None
    # When the bot last answered this user (real time): their chat needs a pause after it.
    last_reply_at: datetime | None = None


@dataclass(frozen=True)
class Claim:
    """What a claim brought: deliveries to send, and which held announcements were cancelled."""

    deliveries: list[Outgoing]
    cancelled_announcements: set[int]


async def queue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    message_key: str,
    params: dict[str, Any],
    dedup_key: str,
    due_at: datetime,
    now: datetime,
    priority: int = NORMAL,
    revivable: Sequence[str] = (),
) -> bool:
    """Adds a delivery without committing; False when the same notice was already queued.

    A notice withdrawn earlier for one of the `revivable` reasons (a cancelled place taken
    again, a reminder switched off and on) is made pending again instead, at the new due
    time and with the new parameters; that counts as queued.
    """
    added = await repo.add_delivery(
        session,
        {
            "recipient_id": recipient_id,
            "kind": kind,
            "priority": priority,
            "message_key": message_key,
            "params": params,
            "dedup_key": dedup_key,
            "due_at": due_at,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        },
    )
    if added or not revivable:
        return added
    return await reminders_repo.revive_withdrawn(
        session, dedup_key, reasons=revivable, due_at=due_at, params=params
    )


@dataclass(frozen=True)
class Sent:
    """A notice already in a chat: who has it, its message id and what it showed."""

    delivery_id: int
    recipient_id: int
    message_id: int
    params: dict[str, Any]


async def sent_messages(session: AsyncSession, prefixes: Sequence[str]) -> list[Sent]:
    """The notices of these key families already sent, to be edited in place."""
    return [
        Sent(row.id, row.recipient_id, int(row.telegram_message_id or 0), dict(row.params))
        for row in await repo.sent_with_prefixes(session, prefixes)
    ]


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    worker: str,
    takeover: int = 0,
    held_announcements: Collection[int] = (),
) -> Claim:
    """Claims up to `limit` due deliveries for `worker` and commits the claim.

    A claim left unrenewed for `lease` is taken over (see `renew`): up to `takeover` of
    those first, then due ones up to `limit` in all. The announcements of what the sender
    holds and of what it claims are read at the same time: a claimed delivery of a
    cancelled announcement is withdrawn instead of returned.
    """
    await repo.skip_unreachable_due(session, now)
    expired = now - lease
    rows = await repo.take_over(session, now, expired, takeover, worker) if takeover > 0 else []
    if limit > len(rows):
        rows += await repo.claim_due(session, now, expired, limit - len(rows), worker)
    announcements = {row.announcement_id for row in rows if row.announcement_id is not None}
    cancelled = await repo.cancelled_announcements(
        session, sorted(announcements | set(held_announcements))
    )
    withdrawn = [row.id for row in rows if row.announcement_id in cancelled]
    if withdrawn:
        await repo.withdraw_claimed(session, withdrawn, repo.ANNOUNCEMENT_CANCELLED, worker)
    rows = [row for row in rows if row.announcement_id not in cancelled]
    locales = await repo.locales_of(session, [row.recipient_id for row in rows])
    replies = await repo.last_replies(session, [row.recipient_id for row in rows])
    await session.commit()
    outgoing = [
        Outgoing(
            id=row.id,
            recipient_id=row.recipient_id,
            kind=row.kind,
            priority=row.priority,
            message_key=row.message_key,
            params=dict(row.params),
            attempts=row.attempts,
            chosen_locale=locales.get(row.recipient_id, (None, None))[0],
            telegram_locale=locales.get(row.recipient_id, (None, None))[1],
            announcement_id=row.announcement_id,
            last_reply_at=replies.get(row.recipient_id),
        )
        for row in rows
    ]
    return Claim(outgoing, cancelled)


async def renew(
    session: AsyncSession, delivery_ids: Sequence[int], *, worker: str, now: datetime
) -> set[int]:
    """Renews the claims `worker` holds in memory and commits; returns those still its own."""
    held = await repo.renew_claims(session, delivery_ids, worker, now)
    await session.commit()
    return held


async def withdraw_if_cancelled(session: AsyncSession, delivery: Outgoing, *, worker: str) -> bool:
    """Withdraws a claimed delivery whose announcement was cancelled; True when it was."""
    if delivery.announcement_id is None:
        return False
    if not await repo.cancelled_announcements(session, [delivery.announcement_id]):
        return False
    await withdraw_claimed(session, [delivery.id], worker=worker)
    return True


async def withdraw_claimed(
    session: AsyncSession, delivery_ids: Sequence[int], *, worker: str
) -> None:
    """Withdraws claimed deliveries of cancelled announcements and commits."""
    await repo.withdraw_claimed(session, delivery_ids, repo.ANNOUNCEMENT_CANCELLED, worker)
    await session.commit()


# The outcomes: each is written only while `worker` still holds the delivery's claim.


async def record_sent(
    session: AsyncSession,
    delivery_id: int,
    *,
    worker: str,
    now: datetime,
    message_id: int | None,
) -> None:
    await repo.set_outcome(
        session,
        delivery_id,
        worker,
        status=DeliveryStatus.SENT,
        sent_at=now,
        telegram_message_id=message_id,
    )
    await session.commit()


async def record_retry(
    session: AsyncSession, delivery: Outgoing, *, worker: str, due_at: datetime, error: str
) -> None:
    await repo.set_outcome(
        session,
        delivery.id,
        worker,
        status=DeliveryStatus.PENDING,
        due_at=due_at,
        attempts=delivery.attempts + 1,
        last_error=error[:500],
        claimed_at=None,
    )
    await session.commit()


async def record_failure(
    session: AsyncSession, delivery: Outgoing, *, worker: str, error: str
) -> None:
    await repo.set_outcome(
        session,
        delivery.id,
        worker,
        status=DeliveryStatus.FAILED,
        attempts=delivery.attempts + 1,
        last_error=error[:500],
    )
    await session.commit()


async def record_unreachable(session: AsyncSession, recipient_id: int, *, now: datetime) -> None:
    """The user blocked the bot: their queued deliveries are skipped until they write again."""
    await repo.mark_unreachable(session, recipient_id, now)
    await session.commit()


async def release(session: AsyncSession, delivery_ids: list[int], *, worker: str) -> None:
    """Hands claimed but unsent deliveries back, for this or another process to send."""
    if delivery_ids:
        await repo.release(session, delivery_ids, worker)
        await session.commit()


async def record_replies(session: AsyncSession, chat_ids: Sequence[int], *, at: datetime) -> None:
    """Notes when the bot last answered in these chats, and commits."""
    await repo.record_replies(session, chat_ids, at)
    await session.commit()


async def has_unsent(session: AsyncSession, recipient_id: int, kind: str) -> bool:
    return await repo.has_unsent(session, recipient_id, kind)


async def status_counts(session: AsyncSession) -> dict[str, int]:
    return await repo.count_by_status(session)


async def withdraw(
    session: AsyncSession,
    *,
    keys: Sequence[str] = (),
    prefixes: Sequence[str] = (),
    reason: str = "withdrawn",
) -> int:
    """Cancels pending deliveries without committing, in the caller's transaction.

    Used when what a notice is about no longer holds (a cancelled place, hours already
    logged); `prefixes` matches every delivery of a family, e.g. all of a shift's reminders.
    """
    return await repo.cancel_pending(session, keys, prefixes, reason)
