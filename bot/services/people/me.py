"""What the staff Mini App (and /staff) says about the person using it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.roles import Actor, Role, actor_of


@dataclass(frozen=True)
class Person:
    telegram_id: int
    roles: tuple[Role, ...]


async def who_am_i(session: AsyncSession, actor: Actor, admin_ids: tuple[int, ...]) -> Person:
    """The person's roles as the database says now (read again: the caller's may be stale)."""
    current = await actor_of(session, actor.telegram_id, admin_ids)
    held = tuple(role for role in Role if role in current.roles)  # in the enum's order
    return Person(current.telegram_id, held or (Role.CITIZEN,))
