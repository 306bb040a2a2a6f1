"""Projects as volunteers browse them: by theme, by quartiere, with their tutors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hub, Project, ProjectTutor, User


def _filtered(theme: str | None, quartiere: str | None) -> Select[Any]:
    query = select(Project).outerjoin(Hub, Hub.id == Project.hub_id)
    if theme:
        query = query.where(Project.theme == theme)
    if quartiere:
        query = query.where(func.lower(Hub.quartiere) == quartiere.lower())
    return query


async def list_projects(
    session: AsyncSession, theme: str | None, quartiere: str | None, offset: int, limit: int
) -> tuple[list[Project], int]:
    query = _filtered(theme, quartiere)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Project.code).offset(offset).limit(limit))
    return list(rows), int(total or 0)


async def themes(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Project.theme).distinct().order_by(Project.theme)))


async def project_quartieri(session: AsyncSession) -> list[str]:
    query = (
        select(Hub.quartiere)
        .join(Project, Project.hub_id == Hub.id)
        .distinct()
        .order_by(Hub.quartiere)
    )
    return list(await session.scalars(query))


async def get_hub(session: AsyncSession, hub_id: int) -> Hub | None:
    return await session.get(Hub, hub_id)


async def tutor_names(session: AsyncSession, project_id: int) -> list[str | None]:
    rows = await session.execute(
        select(User.display_name)
        .select_from(ProjectTutor)
        .outerjoin(User, User.telegram_id == ProjectTutor.telegram_id)
        .where(ProjectTutor.project_id == project_id)
        .order_by(ProjectTutor.telegram_id)
    )
    return [row[0] for row in rows]
