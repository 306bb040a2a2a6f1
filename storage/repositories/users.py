"""Users: who has written to the bot, their language and home quartiere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
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


async def mark_quartiere_asked(session: AsyncSession, telegram_id: int, now: datetime) -> bool:
    """Marks the home-quartiere question as asked; False when it was asked before, or the
    person already has a home quartiere. One UPDATE, so two updates at once ask only once."""
    result = await session.execute(
        update(User)
        .where(
            User.telegram_id == telegram_id,
            User.quartiere_asked_at.is_(None),
            User.home_quartiere_id.is_(None),
        )
        .values(quartiere_asked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
