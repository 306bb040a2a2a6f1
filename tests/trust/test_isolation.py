"""One conversation's updates one at a time: in a process, and across processes on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.app import create_isolation
from bot.telegram.isolation import DatabaseEventIsolation
from storage.db import create_engine, create_session_factory
from tests.support import fixtures

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)
OTHER = StorageKey(bot_id=1, chat_id=43, user_id=43)


async def _second_waits_for_first(
    first: DatabaseEventIsolation, second: DatabaseEventIsolation, key: StorageKey
) -> list[str]:
    order: list[str] = []
    inside = asyncio.Event()

    async def one() -> None:
        async with first.lock(KEY):
            inside.set()
            await asyncio.sleep(0.3)
            order.append("first done")

    async def two() -> None:
        await inside.wait()
        async with second.lock(key):
            order.append("second in")

    await asyncio.wait_for(asyncio.gather(one(), two()), timeout=10)
    return order


async def test_two_updates_of_one_conversation_never_overlap(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    isolation = DatabaseEventIsolation(session_factory.kw["bind"])
    assert await _second_waits_for_first(isolation, isolation, KEY) == [
        "first done",
        "second in",
    ]
    # Another user's update does not wait.
    assert await _second_waits_for_first(isolation, isolation, OTHER) == [
        "second in",
        "first done",
    ]


async def test_two_processes_on_postgresql_take_turns(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serves one process: the in-process lock is the isolation")
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        first, second = (DatabaseEventIsolation(engine) for engine in engines)
        assert await _second_waits_for_first(first, second, KEY) == ["first done", "second in"]
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_only_webhook_replicas_on_postgresql_lock_across_processes(
    database_url: str, mode: str
) -> None:
    webhook = {"webhook_base_url": "https://bot.example.org", "webhook_secret": "s3cret_Token-1234"}
    settings = fixtures.test_settings(**(webhook if mode == "webhook" else {}))
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        first, second = (
            create_isolation(settings, create_session_factory(engine)) for engine in engines
        )
        assert isinstance(first, DatabaseEventIsolation)
        assert isinstance(second, DatabaseEventIsolation)
        order = await _second_waits_for_first(first, second, KEY)
    finally:
        for engine in engines:
            await engine.dispose()
    if mode == "webhook" and database_url.startswith("postgresql"):
        assert order == ["first done", "second in"]
    else:
        # One poller per bot, or SQLite's one process: nothing to wait for elsewhere.
        assert order == ["second in", "first done"]
