"""Conversation state kept in the database, so that a restart continues a conversation."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from storage.repositories import conversations as repo


class DatabaseStorage(BaseStorage):
    """aiogram FSM storage on the project's database (SQLite or PostgreSQL).

    Every change is written through at once; what was read or written is also kept in a
    bounded in-memory cache, since aiogram reads the state of every update and only one
    process receives a given user's updates. After a restart the cache is empty and the
    database answers.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        cache_size: int = 10_000,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._cache: OrderedDict[str, tuple[str | None, dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size

    async def _load(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        built = self._keys.build(key)
        if built in self._cache:
            self._cache.move_to_end(built)
            state, data = self._cache[built]
            return state, dict(data)
        async with self._sessions() as session:
            row = await repo.get_conversation(session, built)
            loaded = (row.state, dict(row.data)) if row else (None, {})
        self._remember(built, *loaded)
        return loaded[0], dict(loaded[1])

    def _remember(self, built: str, state: str | None, data: dict[str, Any]) -> None:
        self._cache[built] = (state, dict(data))
        self._cache.move_to_end(built)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        current, data = await self._load(key)
        if current != name:
            await self._save(key, name, data)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        state, current = await self._load(key)
        if current != dict(data):
            await self._save(key, state, dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._load(key))[1]

    async def close(self) -> None:
        return None

    async def _save(self, key: StorageKey, state: str | None, data: dict[str, Any]) -> None:
        built = self._keys.build(key)
        self._cache.pop(built, None)  # if the write fails, the next read asks the database
        async with self._sessions() as session:
            await repo.save_conversation(
                session, built, state=state, data=data, now=self._clock.now()
            )
            await session.commit()
        self._remember(built, state, data)
