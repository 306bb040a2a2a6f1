"""Who may do what: citizen, tutor of given projects, admin; the one place roles are decided.

Admins are ADMIN_IDS and the staff appointed as admins; tutors are staff with projects.
The per-update context carries the `Actor` read here, and every staff action's service
checks it again, so a forged or replayed button (any 64 bytes a client can send) never
decides alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories import staff as staff_repo


class Role(StrEnum):
    CITIZEN = "citizen"
    TUTOR = "tutor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The person acting in this update, with their role as the database says now."""

    telegram_id: int
    role: Role = Role.CITIZEN
    projects: frozenset[int] = frozenset()  # tutored ones

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.role is not Role.CITIZEN

    def holds(self, role: Role) -> bool:
        """An admin holds every role, a tutor the tutor's and the citizen's."""
        return role is Role.CITIZEN or self.role is role or self.is_admin

    def may_manage(self, project_id: int) -> bool:
        """Tutors of the project and admins see its rosters, decide its hours, act on its shifts."""
        # `staff remove` deletes the tutorships with the role, so a removed tutor has none left.
        return self.is_admin or project_id in self.projects


async def role_of(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> Role:
    if telegram_id in admin_ids:
        return Role.ADMIN
    member = await staff_repo.get_staff(session, telegram_id)
    return Role(member.role) if member else Role.CITIZEN


async def actor_of(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> Actor:
    role = await role_of(session, telegram_id, admin_ids)
    if role is not Role.TUTOR:
        return Actor(telegram_id, role)
    projects = await staff_repo.tutored_project_ids(session, telegram_id)
    return Actor(telegram_id, role, frozenset(projects))


async def admins(session: AsyncSession, admin_ids: tuple[int, ...]) -> set[int]:
    """Every admin: ADMIN_IDS and the staff appointed as admins."""
    return set(await staff_repo.admins(session)) | set(admin_ids)
