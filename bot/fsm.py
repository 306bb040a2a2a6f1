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
    """aiogram FSM storage on the project's database (SQLite or PostgreSQL)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        async with self._sessions() as session:
            row = await repo.get_conversation(session, self._keys.build(key))
            data = dict(row.data) if row else {}
            await self._save(session, key, name, data)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessions() as session:
            row = await repo.get_conversation(session, self._keys.build(key))
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._sessions() as session:
            row = await repo.get_conversation(session, self._keys.build(key))
            await self._save(session, key, row.state if row else None, dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessions() as session:
            row = await repo.get_conversation(session, self._keys.build(key))
            return dict(row.data) if row else {}

    async def close(self) -> None:
        return None

    async def _save(
        self, session: AsyncSession, key: StorageKey, state: str | None, data: dict[str, Any]
    ) -> None:
        await repo.save_conversation(
            session, self._keys.build(key), state=state, data=data, now=self._clock.now()
        )
        await session.commit()
