"""Users: who has written to the bot, their language and home quartiere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Quartiere, User


async def get_user(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.get(User, telegram_id)


def add_user(
    session: AsyncSession, telegram_id: int, telegram_locale: str | None, now: datetime
) -> User:
    user = User(
        telegram_id=telegram_id,
        telegram_locale=telegram_locale,
        created_at=now,
        last_seen_at=now,
    )
    session.add(user)
    return user


async def get_quartiere(session: AsyncSession, quartiere_id: int) -> Quartiere | None:
    return await session.get(Quartiere, quartiere_id)
