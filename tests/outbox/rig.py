"""An outbox sender running against the emulator over HTTP, with its scheduler ticking.

It is what `quartiere-bot send` runs (bot.runtime.send.running_sender); `run` runs the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import RunningClock
from bot.outbox import queue as outbox
from emulator import BotApiEmulator, EmulatorServer
from storage.models import Delivery


@dataclass
class OutboxRig:
    server: EmulatorServer
    sessions: async_sessionmaker[AsyncSession]
    clock: RunningClock
    context: Any = None

    @property
    def emulator(self) -> BotApiEmulator:
        return self.server.emulator

    async def stop(self) -> None:
        """Stops the sender as a SIGTERM would: in-flight sends finish, the rest is kept."""
        if self.context is not None:
            context, self.context = self.context, None
            await context.__aexit__(None, None, None)

    async def queue(
        self,
        recipient: int,
        dedup_key: str,
        *,
        params: dict[str, Any] | None = None,
        due_at: datetime | None = None,
        priority: int = outbox.NORMAL,
    ) -> bool:
        async with self.sessions() as session:
            added = await outbox.queue(
                session,
                recipient_id=recipient,
                kind="test",
                message_key="staff.appointed",
                params=params or {"role": "admin"},
                dedup_key=dedup_key,
                due_at=due_at or self.clock.now(),
                now=self.clock.now(),
                priority=priority,
            )
            await session.commit()
            return added

    async def deliveries(self) -> list[Delivery]:
        async with self.sessions() as session:
            return list(await session.scalars(select(Delivery).order_by(Delivery.id)))

    async def wait_settled(self, count: int, within: float = 20) -> list[Delivery]:
        """Waits until `count` deliveries are no longer pending or being sent."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            rows = await self.deliveries()
            settled = [row for row in rows if row.status not in ("pending", "sending")]
            if len(settled) >= count:
                return rows
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError([(row.id, row.status, row.last_error) for row in rows])
            await asyncio.sleep(0.05)


Starter = Callable[..., Awaitable[OutboxRig]]
