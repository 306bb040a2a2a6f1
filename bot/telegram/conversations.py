"""Conversation state held in Redis, as /mydata and /forget see it (the database's is theirs).

Keys are aiogram's `fsm:CHAT[:THREAD]:USER:DESTINY:PART` (PART is `state` or `data`); a
person's are those whose chat or user is their id, as for the database's rows.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.redis import RedisStorage

from bot.clock import Clock
from bot.services.people.privacy import ConversationStore


class RedisConversations:
    """The `ConversationStore` of privacy over aiogram's RedisStorage."""

    def __init__(self, storage: RedisStorage, clock: Clock) -> None:
        self._redis = storage.redis
        self._prefix = getattr(storage.key_builder, "prefix", "fsm")
        self._clock = clock

    async def _keys(self, telegram_id: int) -> list[str]:
        person = str(telegram_id)
        found = []
        async for raw in self._redis.scan_iter(match=f"{self._prefix}:*:{person}:*", count=1000):
            key = raw.decode() if isinstance(raw, bytes) else str(raw)
            parts = key.split(":")
            if len(parts) >= 5 and person in (parts[1], parts[-3]):
                found.append(key)
        return sorted(found)

    async def held(self, telegram_id: int) -> list[dict[str, Any]]:
        conversations: dict[str, dict[str, Any]] = {}
        for key in await self._keys(telegram_id):
            conversation, _, part = key.rpartition(":")
            value = await self._redis.get(key)
            ttl = await self._redis.ttl(key)
            if value is None:  # expired meanwhile
                continue
            text = value.decode() if isinstance(value, bytes) else str(value)
            held = conversations.setdefault(conversation, {"state": None, "data": {}})
            held[part] = json.loads(text) if part == "data" else text
            if ttl > 0:
                expires = (self._clock.now() + timedelta(seconds=ttl)).isoformat()
                held["expires_at"] = max(held.get("expires_at", expires), expires)
        return list(conversations.values())

    async def erase(self, telegram_id: int) -> None:
        keys = await self._keys(telegram_id)
        if keys:
            await self._redis.delete(*keys)


def conversation_store(storage: BaseStorage, clock: Clock) -> ConversationStore | None:
    """What privacy needs to reach beyond the database; None when the state is in it."""
    return RedisConversations(storage, clock) if isinstance(storage, RedisStorage) else None
