"""Who may do what: the one place roles are decided.

A person holds any number of roles together: tutor of given projects, admin, and the
scoped ones (member of an office, secretary of a Consulta, desk operator), each with the
codes it applies to. Admins are ADMIN_IDS and the staff appointed as admins.
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
    OFFICE = "office"
    SECRETARY = "secretary"
    DESK = "desk"


# The roles that apply to named offices, Consulte or desks, and the CLI option naming one.
SCOPED = (Role.OFFICE, Role.SECRETARY, Role.DESK)


@dataclass(frozen=True)
class Actor:
    """The person acting in this update, with the roles the database says they hold now."""

    telegram_id: int
    roles: frozenset[Role] = frozenset()  # beyond the citizen's, which everyone holds
    projects: frozenset[int] = frozenset()  # tutored ones
    scopes: frozenset[tuple[Role, str]] = frozenset()  # (office|secretary|desk, code)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_staff(self) -> bool:
        """Holds some staff role, whichever."""
        return bool(self.roles)

    @property
    def menu_role(self) -> Role:
        """The widest of citizen, tutor and admin held: what the menu and front door show."""
        if self.is_admin:
            return Role.ADMIN
        return Role.TUTOR if Role.TUTOR in self.roles else Role.CITIZEN

    def holds(self, role: Role) -> bool:
        """Everyone holds the citizen's role; an admin also holds the tutor's (for every
        project). Office, secretary and desk roles apply to their own codes: only held
        when appointed, admins included."""
        if role is Role.CITIZEN or role in self.roles:
            return True
        return role is Role.TUTOR and self.is_admin

    def scope_codes(self, role: Role) -> tuple[str, ...]:
        """The office, Consulta or desk codes of a scoped role, sorted."""
        return tuple(sorted(code for held, code in self.scopes if held is role))

    def may_manage(self, project_id: int) -> bool:
        """Tutors of the project and admins see its rosters, decide its hours, act on its shifts."""
        # Removing the tutor role deletes the tutorships with it, so a removed tutor has none.
        return self.is_admin or project_id in self.projects


async def actor_of(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> Actor:
    """The person's roles, tutorships and scopes in one query."""
    roles: set[Role] = {Role.ADMIN} if telegram_id in admin_ids else set()
    projects: set[int] = set()
    scopes: set[tuple[Role, str]] = set()
    for role, scope, project_id in await staff_repo.roles_of(session, telegram_id):
        held = Role(role)
        roles.add(held)
        if project_id is not None:
            projects.add(project_id)
        if held in SCOPED:
            scopes.add((held, scope))
    return Actor(telegram_id, frozenset(roles), frozenset(projects), frozenset(scopes))


async def admins(session: AsyncSession, admin_ids: tuple[int, ...]) -> set[int]:
    """Every admin: ADMIN_IDS and the staff appointed as admins."""
    return set(await staff_repo.admins(session)) | set(admin_ids)
