"""Staff: the roles people hold (one row each), and the projects each tutor looks after."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, ProjectTutor, Staff, StaffRemoval, StaffRole


async def roles_held(session: AsyncSession, telegram_id: int) -> list[Staff]:
    rows = await session.scalars(
        select(Staff).where(Staff.telegram_id == telegram_id).order_by(Staff.role, Staff.scope)
    )
    return list(rows)


async def roles_of(
    session: AsyncSession, telegram_id: int
) -> list[tuple[StaffRole, str, int | None]]:
    """Every (role, scope, tutored project) of one person in one query: the per-update read."""
    rows = await session.execute(
        select(Staff.role, Staff.scope, ProjectTutor.project_id)
        .outerjoin(
            ProjectTutor,
            and_(
                ProjectTutor.telegram_id == Staff.telegram_id,
                Staff.role == StaffRole.TUTOR,
            ),
        )
        .where(Staff.telegram_id == telegram_id)
    )
    return [(role, scope, project_id) for role, scope, project_id in rows]


async def list_staff(session: AsyncSession) -> list[tuple[Staff, list[str]]]:
    """Every role held, by person; a tutor's role with the codes of their projects."""
    members = list(
        await session.scalars(select(Staff).order_by(Staff.telegram_id, Staff.role, Staff.scope))
    )
    rows = await session.execute(
        select(ProjectTutor.telegram_id, Project.code)
        .join(Project, Project.id == ProjectTutor.project_id)
        .order_by(Project.code)
    )
    projects: dict[int, list[str]] = {}
    for telegram_id, code in rows:
        projects.setdefault(telegram_id, []).append(code)
    return [
        (member, projects.get(member.telegram_id, []) if member.role is StaffRole.TUTOR else [])
        for member in members
    ]


async def projects_by_code(session: AsyncSession, codes: list[str]) -> dict[str, Project]:
    found = await session.scalars(select(Project).where(Project.code.in_(codes)))
    return {project.code: project for project in found}


async def tutored_project_ids(session: AsyncSession, telegram_id: int) -> set[int]:
    rows = await session.scalars(
        select(ProjectTutor.project_id).where(ProjectTutor.telegram_id == telegram_id)
    )
    return set(rows)


def add_tutorship(session: AsyncSession, project_id: int, telegram_id: int) -> None:
    session.add(ProjectTutor(project_id=project_id, telegram_id=telegram_id))


async def remove_roles(
    session: AsyncSession, telegram_id: int, role: StaffRole | None, scopes: Iterable[str] = ()
) -> int:
    """Removes one role (only the given scopes, when some are given) or every role (None);
    the tutorships go with the tutor's role. Returns how many role rows were removed."""
    wanted = [Staff.telegram_id == telegram_id]
    if role is not None:
        wanted.append(Staff.role == role)
    scopes = list(scopes)
    if scopes:
        wanted.append(Staff.scope.in_(scopes))
    found = list(await session.scalars(select(Staff).where(*wanted)))
    if any(member.role is StaffRole.TUTOR for member in found):
        await session.execute(delete(ProjectTutor).where(ProjectTutor.telegram_id == telegram_id))
    for member in found:
        await session.delete(member)
    return len(found)


async def staff_roles(session: AsyncSession) -> list[tuple[int, StaffRole]]:
    rows = await session.execute(select(Staff.telegram_id, Staff.role).distinct())
    return [(telegram_id, role) for telegram_id, role in rows]


async def is_tutor_of(session: AsyncSession, telegram_id: int, project_id: int) -> bool:
    return await session.get(ProjectTutor, (project_id, telegram_id)) is not None


async def admins(session: AsyncSession) -> list[int]:
    rows = await session.scalars(select(Staff.telegram_id).where(Staff.role == StaffRole.ADMIN))
    return list(rows)


async def record_removal(session: AsyncSession, telegram_id: int, now: datetime) -> None:
    """Remembers that the person was removed, so a catalog does not appoint them again."""
    removal = await session.get(StaffRemoval, telegram_id)
    if removal is None:
        session.add(StaffRemoval(telegram_id=telegram_id, removed_at=now))
    else:
        removal.removed_at = now


async def clear_removal(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(StaffRemoval).where(StaffRemoval.telegram_id == telegram_id))


async def removed_among(session: AsyncSession, telegram_ids: Iterable[int]) -> set[int]:
    """Which of these people were removed with `staff remove` (and not added since)."""
    wanted = sorted(set(telegram_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):  # within every database's parameter limit
        chunk = wanted[start : start + 500]
        found.update(
            await session.scalars(
                select(StaffRemoval.telegram_id).where(StaffRemoval.telegram_id.in_(chunk))
            )
        )
    return found


async def project_titles(
    session: AsyncSession, project_ids: Iterable[int]
) -> dict[str, dict[str, str]]:
    """The titles of these projects, by code."""
    wanted = sorted(set(project_ids))
    if not wanted:
        return {}
    rows = await session.execute(select(Project.code, Project.title).where(Project.id.in_(wanted)))
    return {code: title for code, title in rows}
