"""One user's updates handled one at a time, so two quick messages in a conversation never race.

Within a process a lock per conversation key is enough (the poller already keeps one
user's updates in order; webhook deliveries arrive concurrently), and long polling is one
process per bot. Webhook replicas on one PostgreSQL database also take a session advisory
lock on the key, released when the update is done or when the process dies with its
connection. SQLite serves one host and
one process; with `REDIS_URL`, aiogram's RedisEventIsolation is used instead.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


def advisory_key(key: StorageKey) -> int:
    """A stable signed 64-bit number for the key (Python's hash() differs per process)."""
    raw = f"{key.bot_id}:{key.chat_id}:{key.user_id}:{key.thread_id}".encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True)


class _KeyLocks:
    """asyncio locks per key, dropped once nobody holds or waits for them."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class DatabaseEventIsolation(BaseEventIsolation):
    def __init__(self, engine: AsyncEngine | None) -> None:
        # None (SQLite): the process lock alone.
        self._engine = (
            engine if engine is not None and engine.dialect.name == "postgresql" else None
        )
        self._local = _KeyLocks()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        number = advisory_key(key)
        async with self._local.hold(number):
            if self._engine is None:
                yield
                return
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": number})
                await connection.commit()
                try:
                    yield
                finally:
                    await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": number})
                    await connection.commit()

    async def close(self) -> None:
        return None
