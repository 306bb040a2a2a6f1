"""Outbox fixture: starts an emulator and the sender, as `quartiere-bot send` runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import RunningClock
from bot.runtime.send import running_sender
from emulator import BotApiEmulator, EmulatorServer
from tests.outbox.rig import OutboxRig, Starter
from tests.support.fixtures import TEST_NOW, test_settings


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
