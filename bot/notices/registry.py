"""A notice: one thing the bot says on its own, with every identity it has in one place.

Its message key names its renderer, its kind and priority go with each delivery, and its
de-duplication key (and the prefix shared by a family of them, to withdraw them at once)
is built only here: rows already in the outbox keep matching because these strings never
change (tests/outbox/test_notice_keys.py pins them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import queue as outbox
from bot.outbox.rendered import Renderer


def no_family(*_: object) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Notice:
    message_key: str
    kind: str
    priority: int
    render: Renderer
    # The de-duplication key of one notice, from what identifies it.
    key: Callable[..., str]
    # The key prefixes of a family of notices (a place's reminders), to withdraw them.
    family: Callable[..., tuple[str, ...]] = no_family

    async def queue(
        self,
        session: AsyncSession,
        key: str,
        *,
        recipient_id: int,
        params: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
        revivable: Sequence[str] = (),
    ) -> bool:
        """Adds the delivery (due now unless said) without committing; see `outbox.queue`."""
        return await outbox.queue(
            session,
            recipient_id=recipient_id,
            kind=self.kind,
            message_key=self.message_key,
            params=params,
            dedup_key=key,
            due_at=due_at or now,
            now=now,
            priority=self.priority,
            revivable=revivable,
        )

    async def sent(self, session: AsyncSession, *, prefixes: Sequence[str]) -> list[outbox.Sent]:
        """The notices of these families already in their chats (to edit them)."""
        return await outbox.sent_messages(session, prefixes)

    async def withdraw(
        self,
        session: AsyncSession,
        *,
        keys: Sequence[str] = (),
        prefixes: Sequence[str] = (),
        reason: str,
    ) -> int:
        """Cancels the pending ones among `keys` and the families of `prefixes` (no commit)."""
        return await outbox.withdraw(session, keys=keys, prefixes=prefixes, reason=reason)
