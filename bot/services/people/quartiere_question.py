"""Asking once for the home quartiere, so that announcements to a quartiere reach its people.

The question comes after a person's first location or first place on a shift, whichever
is first, and never again: that it was asked is remembered, whether it was answered,
skipped or ignored. The answer is the home quartiere of /settings, where it can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.users import QuartiereChoice, list_quartieri
from storage.repositories import users as repo


@dataclass(frozen=True)
class Question:
    choices: tuple[QuartiereChoice, ...]  # the guessed quartiere first, then by name
    guessed: int | None  # the quartiere of the hub nearest to the location, if known


async def ask_once(
    session: AsyncSession, telegram_id: int, now: datetime, *, near: str | None = None
) -> Question | None:
    """The question to ask now, marked as asked (committed); None when it is not to be asked:
    asked before, a home quartiere already chosen, or no quartieri in the catalog.

    `near` is the quartiere name of the hub nearest to the person's location: that quartiere
    comes first. The location itself is not kept.
    """
    user = await repo.get_user(session, telegram_id)
    if user is None or user.quartiere_asked_at is not None or user.home_quartiere_id is not None:
        return None
    choices = await list_quartieri(session)
    if not choices:
        return None
    asked = await repo.mark_quartiere_asked(session, telegram_id, now)
    await session.commit()
    if not asked:  # another update asked meanwhile
        return None
    return _ordered(choices, _guess(choices, near))


async def question(session: AsyncSession, first: int | None) -> Question:
    """The same question again (another page of it), with quartiere `first` first."""
    choices = await list_quartieri(session)
    known = first if any(choice.id == first for choice in choices) else None
    return _ordered(choices, known)


def _guess(choices: list[QuartiereChoice], near: str | None) -> int | None:
    if not near:
        return None
    wanted = near.casefold()
    return next((choice.id for choice in choices if choice.name.casefold() == wanted), None)


def _ordered(choices: list[QuartiereChoice], first: int | None) -> Question:
    ordered = sorted(choices, key=lambda choice: choice.id != first)  # stable: names stay sorted
    return Question(tuple(ordered), first)
