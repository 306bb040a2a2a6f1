"""With REDIS_URL, /mydata shows the conversation state Redis holds and /forget erases it."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_dispatcher, create_storage
from emulator import BotApiEmulator
from tests.support import fixtures
from tests.support.fixtures import TEST_NOW
from tests.support.harness import BotHarness
from tests.support.session import EmulatedSession

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


@pytest.fixture
async def harness(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[BotHarness]:
    """The production dispatcher with conversation state in Redis."""
    if not REDIS_URL:
        pytest.skip("Redis tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    emulator = BotApiEmulator()
    settings = fixtures.test_settings(redis_url=REDIS_URL)
    clock = FixedClock(TEST_NOW)
    bot = create_bot(settings, session=EmulatedSession(emulator))
    storage = create_storage(settings, session_factory, clock)
    dispatcher = create_dispatcher(settings, session_factory, clock, storage)
    yield BotHarness(emulator, bot, dispatcher, session_factory, clock, settings)
    await dispatcher.emit_shutdown()
    await storage.close()
    isolation = dispatcher.fsm.events_isolation
    assert isinstance(isolation, RedisEventIsolation)
    await isolation.redis.aclose(close_connection_pool=True)  # its close() leaves the pool open
    await emulator.aclose()
    assert emulator.invalid_calls == []


@pytest.fixture
def person() -> int:
    """A user id of this test's own: the Redis server may be shared."""
    return 10**8 + uuid.uuid4().int % 10**8


async def _registering(harness: BotHarness, load_catalog: Any, person: int) -> None:
    """The person is halfway through joining the register: name given, birth date asked."""
    await load_catalog("projects.yaml")
    [listing] = await harness.say(person, "/volunteer", language_code="en")
    await harness.press(person, listing, "ℹ️ Shared gardens")  # the card replaces the list
    card = harness.emulator.message(person, listing["message_id"])
    assert card is not None
    _, [residence] = await harness.press(person, card, "Join: Sat 5 Dec, 09:00–12:00")
    await harness.press(person, residence, "Yes")
    await harness.say(person, "Maria Rossi")


def _redis(harness: BotHarness) -> RedisStorage:
    storage = harness.dispatcher.fsm.storage
    assert isinstance(storage, RedisStorage)
    return storage


async def _keys_of(harness: BotHarness, person: int) -> list[bytes]:
    return [key async for key in _redis(harness).redis.scan_iter(match=f"fsm:*{person}*")]


async def test_mydata_shows_the_conversation_state_held_in_redis(
    harness: BotHarness, load_catalog: Any, person: int
) -> None:
    await _registering(harness, load_catalog, person)
    [reply] = await harness.say(person, "/mydata", language_code="en")
    document = json.loads(harness.emulator.file(reply["document"]["file_id"]).data)
    [held] = document["conversation_state"]
    assert held["state"] == "RegisterFlow:birth_date"
    assert held["data"]["full_name"] == "Maria Rossi"
    assert held["expires_at"] > TEST_NOW.isoformat()
    await harness.say(person, "/cancel", language_code="en")


async def test_forget_erases_every_conversation_state_held_in_redis(
    harness: BotHarness, load_catalog: Any, person: int
) -> None:
    await _registering(harness, load_catalog, person)
    # State of the same person under another chat: /forget reaches it too.
    elsewhere = StorageKey(bot_id=harness.bot.id, chat_id=-100123, user_id=person)
    await _redis(harness).set_data(elsewhere, {"full_name": "Maria Rossi"})
    assert len(await _keys_of(harness, person)) == 3

    [question] = await harness.say(person, "/forget", language_code="en")
    answer, _ = await harness.press(person, question, "Yes, erase my data")

    assert answer is not None and answer["text"] == "Erased."
    assert await _keys_of(harness, person) == []
