"""Reads and the one write of the Mini App's project form (a compare-and-set on the version).

`UPDATE projects SET ..., version = version + 1 WHERE id = :id AND version = :seen` is one
statement: of two saves over the same version exactly one matches the row, the other is stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hub, Project


async def projects_by_code(session: AsyncSession) -> list[Project]:
    return list(await session.scalars(select(Project).order_by(Project.code)))


async def hubs_by_name(session: AsyncSession) -> list[Hub]:
    return list(await session.scalars(select(Hub).order_by(Hub.name, Hub.id)))


async def save_if_version(
    session: AsyncSession, project_id: int, seen: int, values: Mapping[str, Any]
) -> bool:
    """Writes `values` and raises the version, only if the project is still at `seen`."""
    query = (
        update(Project)
        .where(Project.id == project_id, Project.version == seen)
        .values(**values, version=Project.version + 1)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(query)
    return bool(getattr(result, "rowcount", 0) == 1)
