"""The volunteer register read for export: every volunteer with the projects they belong to."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, SignupStatus, Volunteer
from storage.repositories.memberships import memberships

# Project codes match [a-z0-9][a-z0-9-]*, so this separator never occurs inside one.
_CODE_SEPARATOR = ";"


async def volunteers_with_projects(
    session: AsyncSession, signup_statuses: Collection[SignupStatus]
) -> list[tuple[Volunteer, list[str]]]:
    """Every volunteer by Telegram id, with the sorted codes of their projects, in one query
    (a member through a signup in `signup_statuses` or added by a tutor)."""
    members = memberships(signup_statuses)
    codes = (
        select(
            members.c.telegram_id,
            func.aggregate_strings(Project.code, _CODE_SEPARATOR).label("codes"),
        )
        .join(Project, Project.id == members.c.project_id)
        .group_by(members.c.telegram_id)
        .subquery()
    )
    rows = await session.execute(
        select(Volunteer, codes.c.codes)
        .outerjoin(codes, codes.c.telegram_id == Volunteer.telegram_id)
        .order_by(Volunteer.telegram_id)
    )
    # string_agg and group_concat promise no order on every supported database version.
    return [
        (volunteer, sorted(joined.split(_CODE_SEPARATOR)) if joined else [])
        for volunteer, joined in rows
    ]
