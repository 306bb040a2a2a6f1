"""Staff: appointing tutors and admins, and telling who is staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from storage.models import Staff
from storage.repositories import staff as repo


class Role(StrEnum):
    CITIZEN = "citizen"
    TUTOR = "tutor"
    ADMIN = "admin"


@dataclass(frozen=True)
class StaffMember:
    telegram_id: int
    role: Role
    projects: tuple[str, ...]


class StaffError(ValueError):
    """A staff command that cannot be carried out; the message says why."""


async def add_staff(
    session: AsyncSession,
    telegram_id: int,
    role: Role,
    project_codes: list[str],
    now: datetime,
) -> StaffMember:
    if telegram_id <= 0:
        raise StaffError(f"{telegram_id} is not a Telegram user id")
    if role is Role.ADMIN and project_codes:
        raise StaffError("--project applies to tutors only")
    if role is Role.TUTOR and not project_codes:
        raise StaffError("a tutor needs at least one --project")
    projects = await repo.projects_by_code(session, project_codes)
    missing = sorted(set(project_codes) - set(projects))
    if missing:
        raise StaffError(f"unknown project: {', '.join(missing)}")
    member = await repo.get_staff(session, telegram_id)
    if member is None:
        session.add(Staff(telegram_id=telegram_id, role=role.value, created_at=now))
    else:
        member.role = role.value
    already = await repo.tutored_project_ids(session, telegram_id)
    for project in projects.values():
        if project.id not in already:
            repo.add_tutorship(session, project.id, telegram_id)
    await outbox.queue(
        session,
        recipient_id=telegram_id,
        kind="staff",
        message_key="staff.appointed",
        params={
            "role": role.value,
            "projects": [projects[code].title for code in sorted(projects)],
        },
        dedup_key=f"staff-appointed:{telegram_id}:{role.value}:{','.join(sorted(projects))}",
        due_at=now,
        now=now,
        priority=outbox.NORMAL,
    )
    await session.commit()
    return await _member(session, telegram_id)


async def _member(session: AsyncSession, telegram_id: int) -> StaffMember:
    for member in await list_staff(session):
        if member.telegram_id == telegram_id:
            return member
    raise LookupError(telegram_id)


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    return [
        StaffMember(member.telegram_id, Role(member.role), tuple(projects))
        for member, projects in await repo.list_staff(session)
    ]


async def remove_staff(session: AsyncSession, telegram_id: int) -> None:
    if await repo.get_staff(session, telegram_id) is None:
        raise StaffError(f"{telegram_id} is not staff")
    await repo.remove_staff(session, telegram_id)
    await session.commit()


async def role_of(session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]) -> Role:
    if telegram_id in admin_ids:
        return Role.ADMIN
    member = await repo.get_staff(session, telegram_id)
    return Role(member.role) if member else Role.CITIZEN


async def staff_by_audience(
    session: AsyncSession, admin_ids: tuple[int, ...]
) -> tuple[set[int], set[int]]:
    """The tutors' and the admins' ids (ADMIN_IDS included), for their command menus."""
    roles = await repo.staff_roles(session)
    admins = {telegram_id for telegram_id, role in roles if role == Role.ADMIN} | set(admin_ids)
    tutors = {telegram_id for telegram_id, role in roles if role == Role.TUTOR} - admins
    return tutors, admins
