"""Reminders and nudges queued by one run of the bot are sent by the next, each once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_i18n, running_outbox
from bot.services.people import users
from bot.services.volunteering import register, shifts
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.settings import Settings
from emulator import EmulatorServer
from storage.models import Shift
from tests.reminders.reminded import VOLUNTEER, local
from tests.support import fixtures
from tests.support.fixtures import TEST_NOW

PEOPLE = (1301, 1302, 1303)
REMINDER = "⏰ Reminder: your shift of Ago, Filo e Spid (digital help) is {when}."


async def test_a_restart_between_queueing_and_sending_sends_each_notice_once(
    session_factory: async_sessionmaker[AsyncSession], load_catalog
) -> None:
    await load_catalog("projects.yaml")
    server = EmulatorServer()
    await server.start()
    emulator = server.emulator
    settings = fixtures.test_settings(telegram_api_url=server.url, outbox_tick=0.05)
    clock = FixedClock(TEST_NOW)

    @asynccontextmanager
    async def bot_running() -> AsyncIterator[None]:
        """One run of the bot's sender; leaving it stops the run as SIGTERM does."""
        bot = create_bot(settings)
        async with running_outbox(bot, session_factory, clock, settings, create_i18n(settings)):
            yield
        await bot.session.close()

    async with session_factory() as session:
        shift_id = await session.scalar(select(Shift.id).where(Shift.code == "spid-mon"))
    assert shift_id is not None
    async with bot_running():  # the sign-ups happen while a first run is up
        for person in PEOPLE:
            emulator.register_user(person, language_code="en")
            await _sign_up(session_factory, person, shift_id, clock.now(), settings)
        await asyncio.sleep(0.3)
    assert emulator.calls_to("sendMessage") == []

    clock.set(local(2026, 12, 6, 15, 0))  # the day-before reminders are due
    async with bot_running():
        await emulator.wait_until(
            lambda: all(emulator.bot_message_count(p) == 1 for p in PEOPLE), timeout=15
        )
    clock.set(local(2026, 12, 7, 20, 0))  # past the 2 h reminder and the nudge
    async with bot_running():
        await emulator.wait_until(
            lambda: all(emulator.bot_message_count(p) == 3 for p in PEOPLE), timeout=15
        )
    async with bot_running():  # a further run has nothing left to send
        await asyncio.sleep(1.5)
    await server.stop()
    for person in PEOPLE:
        texts = [message["text"] for message in emulator.bot_messages(person)]
        assert len(texts) == 3
        # Each says when as it is sent: the day before, then late on the day after the restart.
        assert texts[0] == REMINDER.format(when="tomorrow at 15:00")
        assert texts[1] == REMINDER.format(when="today at 15:00")
        assert texts[2].startswith("Thank you for the shift of Ago, Filo e Spid")
    assert emulator.invalid_calls == []


async def _sign_up(
    sessions: async_sessionmaker[AsyncSession],
    person: int,
    shift_id: int,
    now: datetime,
    settings: Settings,
) -> None:
    async with sessions() as session:
        await users.record_visit(session, person, "en", now)
        await register.join_register(session, person, VOLUNTEER, now=now, today=now.date())
        policy = ReminderPolicy.from_settings(settings)
        await shifts.sign_up(session, person, shift_id, now, policy=policy)
