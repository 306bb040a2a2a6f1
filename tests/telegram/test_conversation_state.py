"""Conversation state survives a restart: in the database by default, in Redis when set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FixedClock
from bot.runtime.app import create_storage
from bot.services.people import retention
from bot.settings import Settings
from storage.db import create_engine, create_session_factory
from tests.support.databases import new_database_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


class Signup(StatesGroup):
    name = State()


class Review(StatesGroup):
    reason = State()


KEY = StorageKey(bot_id=42, chat_id=7, user_id=7)
CLOCK = FixedClock(datetime(2026, 12, 1, 9, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param != "redis":
        return new_database_url(request.param, request, tmp_path)
    if not REDIS_URL:
        pytest.skip("Redis tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    return REDIS_URL


@pytest.fixture
async def storages(backend_url: str) -> AsyncIterator[Callable[[], BaseStorage]]:
    """Makes storages as separate processes would, each with its own connections."""
    redis = backend_url.startswith("redis")
    settings = Settings(redis_url=backend_url if redis else None)
    opened: list[BaseStorage] = []
    engines: list[AsyncEngine] = []

    def new() -> BaseStorage:
        sessions = None
        if not redis:
            engines.append(create_engine(backend_url))
            sessions = create_session_factory(engines[-1])
        storage = create_storage(settings, sessions, CLOCK)  # type: ignore[arg-type]
        opened.append(storage)
        return storage

    yield new
    for storage in opened:
        await storage.close()
    for engine in engines:
        await engine.dispose()


async def test_a_new_process_continues_the_conversation(
    storages: Callable[[], BaseStorage],
) -> None:
    key = StorageKey(bot_id=42, chat_id=7, user_id=uuid.uuid4().int % 10**9)
    before_restart = storages()
    await before_restart.set_state(key, Signup.name)
    await before_restart.set_data(key, {"project": "orti", "step": 2})

    after_restart = storages()
    assert await after_restart.get_state(key) == Signup.name.state
    assert await after_restart.get_data(key) == {"project": "orti", "step": 2}


async def test_clearing_forgets_state_and_data(storages: Callable[[], BaseStorage]) -> None:
    key = StorageKey(bot_id=42, chat_id=8, user_id=uuid.uuid4().int % 10**9)
    storage = storages()
    await storage.set_state(key, Signup.name)
    await storage.set_data(key, {"a": 1})
    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await storages().get_state(key) is None
    assert await storages().get_data(key) == {}


async def test_a_change_through_one_replica_is_seen_by_another(
    storages: Callable[[], BaseStorage],
) -> None:
    """A tutor's /cancel on one webhook replica: the other no longer waits for a reason."""
    key = StorageKey(bot_id=42, chat_id=9, user_id=uuid.uuid4().int % 10**9)
    first, second = storages(), storages()
    await first.set_state(key, Review.reason)
    await first.set_data(key, {"report_id": 12})
    assert await second.get_state(key) == Review.reason.state
    assert await second.get_data(key) == {"report_id": 12}

    await first.set_state(key, None)
    await first.set_data(key, {})
    assert await second.get_state(key) is None
    assert await second.get_data(key) == {}

    await second.set_data(key, {"report_id": 13})
    assert await first.get_data(key) == {"report_id": 13}


async def test_conversation_state_in_redis_expires_after_the_retention_period() -> None:
    if not REDIS_URL:
        pytest.skip("Redis tests need TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    storage = create_storage(Settings(redis_url=REDIS_URL), None, CLOCK)  # type: ignore[arg-type]
    assert isinstance(storage, RedisStorage)
    key = StorageKey(bot_id=42, chat_id=10, user_id=uuid.uuid4().int % 10**9)
    try:
        await storage.set_state(key, Signup.name)
        await storage.set_data(key, {"full_name": "Maria Rossi", "phone": "+393331234567"})
        period = retention.CONVERSATIONS.total_seconds()
        for part in ("state", "data"):
            ttl = await storage.redis.ttl(storage.key_builder.build(key, part))
            assert period - 60 < ttl <= period, part
    finally:
        await storage.set_state(key, None)
        await storage.set_data(key, {})
        await storage.close()
