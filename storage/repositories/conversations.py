"""Conversation state rows, so that a restart continues a conversation where it was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationState


async def get_conversation(session: AsyncSession, key: str) -> ConversationState | None:
    return await session.get(ConversationState, key)


async def save_conversation(
    session: AsyncSession,
    key: str,
    *,
    state: str | None,
    data: dict[str, Any],
    now: datetime,
) -> None:
    row = await session.get(ConversationState, key)
    if state is None and not data:
        if row is not None:
            await session.execute(delete(ConversationState).where(ConversationState.key == key))
        return
    if row is None:
        session.add(ConversationState(key=key, state=state, data=data, updated_at=now))
        return
    row.state = state
    row.data = data
    row.updated_at = now
