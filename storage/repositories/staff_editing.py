"""The Mini App's staff editor: the names the bot knows, the projects to choose, the admins."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, Staff, StaffRole, User
from storage.types import Translations


async def names_of(session: AsyncSession, telegram_ids: Iterable[int]) -> dict[int, str]:
    """The display names the bot knows of these people (those without one are left out)."""
    wanted = sorted(set(telegram_ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):  # within every database's parameter limit
        rows = await session.execute(
            select(User.telegram_id, User.display_name).where(
                User.telegram_id.in_(wanted[start : start + 500]), User.display_name.is_not(None)
            )
        )
        found.update({telegram_id: name for telegram_id, name in rows if name})
    return found


async def is_known(session: AsyncSession, telegram_id: int) -> bool:
    """Whether the person ever wrote to the bot (so the bot may write to them)."""
    return await session.get(User, telegram_id) is not None


async def people_named(session: AsyncSession, text: str, limit: int) -> list[tuple[int, str]]:
    """People the bot knows whose display name contains `text` (any case), by name."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = await session.execute(
        select(User.telegram_id, User.display_name)
        .where(User.display_name.ilike(pattern, escape="\\"))
        .order_by(User.display_name, User.telegram_id)
        .limit(limit)
    )
    return [(telegram_id, name) for telegram_id, name in rows if name]


async def projects(session: AsyncSession) -> list[tuple[str, Translations]]:
    """Every project's code and title, by code."""
    rows = await session.execute(select(Project.code, Project.title).order_by(Project.code))
    return [(code, title) for code, title in rows]


async def lock_admins(session: AsyncSession) -> set[int]:
    """The appointed admins, their rows locked until the commit (PostgreSQL): two admins
    removing each other at once are decided one after the other."""
    rows = await session.scalars(
        select(Staff.telegram_id).where(Staff.role == StaffRole.ADMIN).with_for_update()
    )
    return set(rows)
