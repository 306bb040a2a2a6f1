"""Event notices across restarts: whatever was queued before a stop is sent once after it."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_i18n, running_outbox
from bot.services.events import upcoming as events
from emulator import EmulatorServer
from tests.events.catalog import CATALOG, NEW_EVENT, POLICY, deliveries, import_events
from tests.support import fixtures
from tests.support.fixtures import ROME, TEST_NOW

ANNA = 731
MOVED = CATALOG.replace(
    "start: 2026-12-06T10:00\n    end: 2026-12-06T12:00",
    "start: 2026-12-06T11:00\n    end: 2026-12-06T13:00",
)


async def run_sender_until(
    server: EmulatorServer,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    messages: int,
) -> None:
    """Starts the outbox as `quartiere-bot run` does, waits for `messages`, stops it."""
    settings = fixtures.test_settings(telegram_api_url=server.url, outbox_tick=0.05)
    bot = create_bot(settings)
    async with running_outbox(bot, sessions, clock, settings, create_i18n(settings)):
        await server.emulator.wait_until(
            lambda: server.emulator.bot_message_count(ANNA) >= messages, timeout=10
        )
        await asyncio.sleep(0.3)  # room for a duplicate to show, were there one
    await bot.session.close()


async def test_notices_queued_before_a_restart_are_each_sent_once(
    server: EmulatorServer,
    session_factory: async_sessionmaker[AsyncSession],
    catalog: dict[str, int],
) -> None:
    server.emulator.register_user(ANNA)
    walk = catalog["camminata-crostolo"]
    async with session_factory() as session:
        following = await events.following(session, ANNA)
        crostolo = next(g.id for g in following.greenways if g.code == "crostolo")
        await events.follow_greenway(session, ANNA, crostolo, True, TEST_NOW)
        await events.will_come(session, ANNA, walk, TEST_NOW, POLICY)
    # Queued while no sender runs: a new event, the walk moved, its reminders planned again.
    await import_events(session_factory, MOVED + NEW_EVENT)
    clock = FixedClock(TEST_NOW)
    await run_sender_until(server, session_factory, clock, 2)
    clock.set(datetime(2026, 12, 5, 11, 0, tzinfo=ROME))
    await run_sender_until(server, session_factory, clock, 3)
    clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=ROME))
    await run_sender_until(server, session_factory, clock, 4)
    await run_sender_until(server, session_factory, clock, 4)  # one more restart

    # ANNA never wrote to this bot, so she reads the default language, Italian.
    texts = [message["text"] for message in server.emulator.bot_messages(ANNA)]
    assert len(texts) == 4
    assert texts[0].startswith("Un evento a cui hai detto che partecipi è cambiato")
    assert texts[1].startswith("🌿 Nuovo evento – Greenway del Crostolo")
    assert all(text.startswith("⏰ Promemoria") for text in texts[2:])
    rows = await deliveries(session_factory)
    sent = [row for row in rows if row.status == "sent"]
    assert len(sent) == 4 and len({row.dedup_key for row in sent}) == 4
