"""Long polling over HTTP: a slow update holds up nobody else, and is confirmed only when done."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from emulator import EmulatorServer

SLOW, OTHER = 11, 12


@dataclass
class Rig:
    server: EmulatorServer
    release: asyncio.Event = field(default_factory=asyncio.Event)
    handled: list[tuple[int, str]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def texts_of(self, user: int) -> list[str]:
        return [text for who, text in self.handled if who == user]

    async def until(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        async with asyncio.timeout(within):
            while not condition():
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    """A bot whose "slow" message waits until the test releases it."""
    async with EmulatorServer() as server:
        state = Rig(server)
        dispatcher = Dispatcher()

        @dispatcher.message(F.text)
        async def record(message: Message) -> None:
            assert message.from_user is not None and message.text is not None
            if message.text == "slow":
                await state.release.wait()
            state.handled.append((message.from_user.id, message.text))
            state.changed.set()
            await message.answer(f"done: {message.text}")

        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        async with Bot(server.emulator.token, session=session) as bot:
            poller = Poller(bot, dispatcher, PollingMonitor(60), timeout=1)
            stop = asyncio.Event()
            polling = asyncio.create_task(poller.run(stop))
            try:
                yield state
            finally:
                state.release.set()
                stop.set()
                await asyncio.wait_for(polling, timeout=10)


async def test_a_slow_update_does_not_hold_up_other_users(rig: Rig) -> None:
    emulator = rig.server.emulator
    emulator.user_sends_text(SLOW, "slow")
    await asyncio.sleep(0.2)
    for n in range(5):
        emulator.user_sends_text(OTHER, f"quick {n}")
    await rig.until(lambda: len(rig.texts_of(OTHER)) == 5)
    assert rig.texts_of(OTHER) == [f"quick {n}" for n in range(5)]
    assert rig.texts_of(SLOW) == []
    rig.release.set()
    await rig.until(lambda: rig.texts_of(SLOW) == ["slow"])


async def test_one_users_updates_keep_their_order_behind_a_slow_one(rig: Rig) -> None:
    emulator = rig.server.emulator
    emulator.user_sends_text(SLOW, "slow")
    await asyncio.sleep(0.2)
    emulator.user_sends_text(SLOW, "after")
    emulator.user_sends_text(OTHER, "meanwhile")
    await rig.until(lambda: rig.texts_of(OTHER) == ["meanwhile"])
    await asyncio.sleep(0.2)
    assert rig.texts_of(SLOW) == []
    rig.release.set()
    await rig.until(lambda: rig.texts_of(SLOW) == ["slow", "after"])


async def test_an_update_in_hand_is_not_confirmed_until_it_is_done(rig: Rig) -> None:
    emulator = rig.server.emulator
    emulator.user_sends_text(SLOW, "slow")
    await asyncio.sleep(0.2)
    emulator.user_sends_text(OTHER, "quick")
    await rig.until(lambda: rig.texts_of(OTHER) == ["quick"])
    await asyncio.sleep(0.2)
    # A crash now must bring "slow" back: Telegram still holds it, and what came after.
    pending = [update["message"]["text"] for update in emulator.pending_updates()]
    assert pending == ["slow", "quick"]
    rig.release.set()
    await rig.until(lambda: rig.texts_of(SLOW) == ["slow"])
    await asyncio.sleep(0.2)
    # The next call's offset has confirmed both.
    emulator.user_sends_text(OTHER, "later")
    await rig.until(lambda: rig.texts_of(OTHER) == ["quick", "later"])
    assert [update["message"]["text"] for update in emulator.pending_updates()] in (
        [],
        ["later"],
    )


async def test_every_update_is_handled_once_under_a_burst(rig: Rig) -> None:
    emulator = rig.server.emulator
    users = range(100, 160)
    for round_ in range(5):
        for user in users:
            emulator.user_sends_text(user, f"m{round_}")
    await rig.until(lambda: len(rig.handled) == 300, within=20)
    await asyncio.sleep(0.3)
    assert len(rig.handled) == 300
    for user in users:
        assert rig.texts_of(user) == [f"m{n}" for n in range(5)]
