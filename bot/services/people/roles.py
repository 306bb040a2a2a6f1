"""Who may do what: citizen, tutor of given projects, admin; the one place roles are decided.

Admins are ADMIN_IDS and the staff appointed as admins; tutors are staff with projects.
Filters on the staff routers and the services of every staff action ask here, so a
forged or replayed button (any 64 bytes a client can send) never decides alone.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories import staff as staff_repo


class Role(StrEnum):
    CITIZEN = "citizen"
    TUTOR = "tutor"
    ADMIN = "admin"


async def role_of(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> Role:
    if telegram_id in admin_ids:
        return Role.ADMIN
    member = await staff_repo.get_staff(session, telegram_id)
    return Role(member.role) if member else Role.CITIZEN


async def is_admin(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> bool:
    return await role_of(session, telegram_id, admin_ids) is Role.ADMIN


async def is_staff(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> bool:
    return await role_of(session, telegram_id, admin_ids) is not Role.CITIZEN


async def may_manage(
    session: AsyncSession, telegram_id: int, project_id: int, admin_ids: tuple[int, ...]
) -> bool:
    """Tutors of the project and admins see its rosters, decide its hours, act on its shifts."""
    if await is_admin(session, telegram_id, admin_ids):
        return True
    # `staff remove` deletes the tutorships with the role, so a removed tutor has none left.
    return await staff_repo.is_tutor_of(session, telegram_id, project_id)
