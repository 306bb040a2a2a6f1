"""An outbox sender running against the emulator over HTTP, with its scheduler ticking.

It is what `quartiere-bot send` runs (bot.runtime.send.running_sender); `run` runs the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import RunningClock
from bot.outbox import queue as outbox
from bot.runtime.send import running_sender
from emulator import BotApiEmulator, EmulatorServer
from storage.models import Delivery
from tests.support.fixtures import TEST_NOW, test_settings


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


@pytest.fixture
async def start_outbox(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Starter]:
    """Starts emulator + sender; keyword arguments go to the emulator and the settings."""
    running: list[OutboxRig] = []
    servers: list[EmulatorServer] = []

    async def start(
        *,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
        clock: RunningClock | None = None,
        server: EmulatorServer | None = None,
        **overrides: Any,
    ) -> OutboxRig:
        if server is None:
            server = EmulatorServer(
                BotApiEmulator(global_rate=global_rate, per_chat_rate=per_chat_rate)
            )
            await server.start()
            servers.append(server)
        values = {
            "telegram_api_url": server.url,
            "outbox_tick": 0.05,
            "outbox_retry_base": timedelta(milliseconds=100),
            **overrides,
        }
        settings = test_settings(**values)
        rig_clock = clock or RunningClock(TEST_NOW)
        context = running_sender(session_factory, rig_clock, settings)
        await context.__aenter__()
        rig = OutboxRig(server, session_factory, rig_clock, context)
        running.append(rig)
        return rig

    yield start
    for rig in reversed(running):
        await rig.stop()
    for server in servers:
        await server.stop()
        assert server.emulator.invalid_calls == []
