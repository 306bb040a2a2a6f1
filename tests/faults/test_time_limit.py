"""An update still being handled after UPDATE_TIME_LIMIT is cut off, undone and confirmed.

The stuck update is real: joining the volunteer register writes the volunteer and the
register entry, then its commit never returns (a test-only hang in place of the commit).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_dispatcher
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.services.volunteering import register
from bot.telegram.time_limit import TimeLimitMiddleware
from emulator import EmulatorServer
from storage.models import RegisterEntry, Signup, Volunteer
from tests.support import fixtures
from tests.support.harness import BotHarness, LiveBot

MARIA, LUCA = 4311, 4312
LIMIT = 3.0  # seconds; the setting refuses less than 30, so the test sets it directly
APOLOGY = "Sorry, something went wrong on my side. Please try again"


@pytest.fixture
async def limited_bot(
    session_factory: async_sessionmaker[AsyncSession], load_catalog: Any
) -> AsyncIterator[LiveBot]:
    """The production polling loop over HTTP, with a short time limit per update."""
    await load_catalog("projects.yaml")
    server = EmulatorServer()
    await server.start()
    settings = fixtures.test_settings(telegram_api_url=server.url, polling_timeout=1)
    clock = FixedClock(fixtures.TEST_NOW)
    bot = create_bot(settings)
    dispatcher = create_dispatcher(settings, session_factory, clock)
    stop = asyncio.Event()
    poller = Poller(bot, dispatcher, PollingMonitor(60), timeout=settings.polling_timeout)
    polling = asyncio.create_task(poller.run(stop))
    yield LiveBot(server.emulator, bot, dispatcher, session_factory, clock, settings)
    stop.set()
    await asyncio.wait_for(polling, timeout=10)
    await dispatcher.emit_shutdown()
    await bot.session.close()
    await server.stop()
    assert server.emulator.invalid_calls == []
    assert server.emulator.unanswered_callback_queries() == []


def time_limit(bot: BotHarness) -> TimeLimitMiddleware:
    [middleware] = [
        m for m in bot.dispatcher.update.outer_middleware[:] if isinstance(m, TimeLimitMiddleware)
    ]
    return middleware


def hang_before_commit(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Awaitable[register.VolunteerStatus]]:
    """Joining the register writes its rows, then waits for ever instead of committing."""
    join = register.join_register

    async def join_and_hang(session: AsyncSession, *args: Any, **kwargs: Any) -> Any:
        async def stuck_commit() -> None:
            await session.flush()
            await asyncio.Event().wait()

        monkeypatch.setattr(session, "commit", stuck_commit)
        return await join(session, *args, **kwargs)

    monkeypatch.setattr(register, "join_register", join_and_hang)
    return join


async def rows(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, ...]:
    async with sessions() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Volunteer, RegisterEntry, Signup)
        ]
    return tuple(count or 0 for count in counts)


async def consent_question(bot: BotHarness) -> dict[str, Any]:
    """Maria walks through joining the register up to the consent button."""
    [listing] = await bot.say(MARIA, "/volunteer", language_code="en")
    await bot.press(MARIA, listing, "ℹ️ Shared gardens")  # the card replaces the list
    card = bot.emulator.message(MARIA, listing["message_id"])
    assert card is not None
    _, [residence] = await bot.press(MARIA, card, "Join: Sat 5 Dec, 09:00–12:00")
    await bot.press(MARIA, residence, "Yes")
    await bot.say(MARIA, "Maria Rossi")
    await bot.say(MARIA, "24/05/1980")
    [_, consent] = await bot.say(MARIA, "+39 333 1234567")
    return consent


async def test_a_stuck_update_is_undone_apologised_for_and_confirmed(
    limited_bot: LiveBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_bot = limited_bot
    consent = await consent_question(live_bot)
    await live_bot.say(LUCA, "/help", language_code="en")
    hang_before_commit(monkeypatch)
    limit = time_limit(live_bot)
    assert limit.seconds == 60  # UPDATE_TIME_LIMIT's default
    monkeypatch.setattr(limit, "seconds", LIMIT)

    query = live_bot.emulator.user_presses_label(MARIA, consent["message_id"], "I agree")
    # Luca writes while Maria's update is stuck: he is answered before it is cut off.
    seen = live_bot.emulator.bot_message_count(LUCA)
    live_bot.emulator.user_sends_text(LUCA, "/help", language_code="en")
    await live_bot.emulator.wait_for_bot_message(LUCA, after=seen)
    assert live_bot.emulator.callback_answer(query) is None, "Luca's update waited for Maria's"

    await live_bot.process()
    answer = live_bot.emulator.callback_answer(query)
    assert answer is not None and answer.get("show_alert") is True
    assert answer["text"].startswith(APOLOGY)
    assert await rows(live_bot.sessions) == (0, 0, 0)  # nothing half-saved
    assert dict(live_bot.dispatcher["metrics"].errors) == {"UpdateTimeLimitExceeded": 1}
    # Confirmed: polling moved past it, it is not handled (nor apologised for) again.
    assert live_bot.emulator.pending_updates() == []

    monkeypatch.undo()
    await live_bot.press(MARIA, consent, "I agree")
    done = live_bot.emulator.message(MARIA, consent["message_id"])
    assert done is not None and done["text"].startswith("You are in the volunteer register.")
    assert await rows(live_bot.sessions) == (1, 1, 1)
