"""Fixtures for handler tests: the production dispatcher over the in-process emulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_dispatcher, running_outbox
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.services.catalog.importing import ImportSummary, import_catalog_text
from bot.settings import Settings
from bot.telegram.faults import TelegramFaults
from emulator import BotApiEmulator, EmulatorServer
from emulator.ratelimit import TELEGRAM_PER_CHAT_RATE
from tests.support.harness import BotHarness, LiveBot
from tests.support.session import EmulatedSession

ROME = ZoneInfo("Europe/Rome")
# A Wednesday morning: hubs with weekday hours are open.
TEST_NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ROME)
ADMIN_ID = 9001
DATA = Path(__file__).resolve().parent.parent / "data"


def test_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": BotApiEmulator().token,
        "admin_ids": (ADMIN_ID,),
        "polling_timeout": 1,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class SkippingTime:
    """Monotonic time in which the bot's waits on Telegram pass at once.

    The emulator counts its flood limits in this time and the bot waits out a 429 in it, so
    the tests run under Telegram's per-chat limit without waiting the real seconds.
    """

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped

    async def sleep(self, seconds: float) -> None:
        self.skipped += max(0.0, seconds)
        await asyncio.sleep(0)


def limited_emulator(clock: Callable[[], float] = time.monotonic) -> BotApiEmulator:
    """The emulator under Telegram's per-chat limit: three messages at once, then one a second."""
    return BotApiEmulator(per_chat_rate=TELEGRAM_PER_CHAT_RATE, clock=clock)


def skipping_faults(skipping: SkippingTime) -> TelegramFaults:
    return TelegramFaults(clock=skipping, sleep=skipping.sleep)


@pytest.fixture
async def harness(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[BotHarness]:
    skipping = SkippingTime()
    emulator = limited_emulator(skipping)
    settings = test_settings()
    clock = FixedClock(TEST_NOW)
    bot = create_bot(settings, session=EmulatedSession(emulator), faults=skipping_faults(skipping))
    dispatcher = create_dispatcher(settings, session_factory, clock)
    harness = BotHarness(emulator, bot, dispatcher, session_factory, clock, settings)
    yield harness
    await harness.dispatcher.emit_shutdown()  # as the bot stops: no write left running
    await emulator.aclose()
    assert emulator.invalid_calls == [], "the bot made calls Telegram would refuse"
    assert emulator.unanswered_callback_queries() == [], "a button press went unanswered"


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    """The emulator behind HTTP on 127.0.0.1; afterwards, no call Telegram would refuse."""
    emulator_server = EmulatorServer(limited_emulator())
    await emulator_server.start()
    yield emulator_server
    await emulator_server.stop()
    assert emulator_server.emulator.invalid_calls == []


@pytest.fixture
async def live_bot(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[LiveBot]:
    """The production bot polling the emulator over HTTP on 127.0.0.1."""
    skipping = SkippingTime()
    server = EmulatorServer(limited_emulator(skipping))
    await server.start()
    settings = test_settings(telegram_api_url=server.url, polling_timeout=1, outbox_tick=0.1)
    clock = FixedClock(TEST_NOW)
    bot = create_bot(settings, faults=skipping_faults(skipping))
    dispatcher = create_dispatcher(settings, session_factory, clock)
    stop = asyncio.Event()
    poller = Poller(bot, dispatcher, PollingMonitor(60), timeout=settings.polling_timeout)
    polling = asyncio.create_task(poller.run(stop))
    emulator = server.emulator
    async with running_outbox(bot, session_factory, clock, settings, dispatcher["i18n"]):
        yield LiveBot(emulator, bot, dispatcher, session_factory, clock, settings)
        stop.set()
        await asyncio.wait_for(polling, timeout=10)
        await dispatcher.emit_shutdown()
    await bot.session.close()
    await server.stop()
    assert emulator.invalid_calls == [], "the bot made calls Telegram would refuse"
    assert emulator.unanswered_callback_queries() == [], "a button press went unanswered"


@pytest.fixture
def load_catalog(
    session_factory: async_sessionmaker[AsyncSession],
) -> Callable[[str], Awaitable[ImportSummary]]:
    """Imports a catalog file from tests/data through the real import."""

    async def load(name: str) -> ImportSummary:
        text = (DATA / name).read_text(encoding="utf-8")
        return await import_catalog_text(session_factory, text, name, timezone=ROME, now=TEST_NOW)

    return load
