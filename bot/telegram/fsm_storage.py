"""Conversation state kept in the database, so that a restart continues a conversation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from storage.repositories import conversations as repo


class DatabaseStorage(BaseStorage):
    """aiogram FSM storage on the project's database (SQLite or PostgreSQL).

    Nothing is kept in memory: every read is one primary-key lookup and every change one
    transaction, so webhook replicas sharing the database see each other's changes at once
    (a /cancel on one is never followed by a stale prompt on another), and so does /forget.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_destiny=True)

    async def _load(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        async with self._sessions() as session:
            row = await repo.get_conversation(session, self._keys.build(key))
            return (row.state, dict(row.data)) if row else (None, {})

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        await self._change(key, state=name)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._change(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._load(key))[1]

    async def close(self) -> None:
        return None

    async def _change(self, key: StorageKey, **change: Any) -> None:
        """Reads and writes in one transaction; nothing is written when nothing changes."""
        built = self._keys.build(key)
        async with self._sessions() as session:
            row = await repo.get_conversation(session, built)
            before = (row.state, row.data) if row else (None, {})
            after = (change.get("state", before[0]), change.get("data", before[1]))
            if after == before:
                return
            await repo.save_conversation(
                session, built, state=after[0], data=after[1], now=self._clock.now()
            )
            await session.commit()
