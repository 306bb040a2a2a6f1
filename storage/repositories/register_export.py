"""The volunteer register read for export: every volunteer with the projects they belong to."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, ProjectMember, Shift, Signup, Volunteer

# A place on a shift makes its holder a member of the project; a waitlisted or
# cancelled signup does not.
MEMBER_SIGNUP_STATUSES = ("confirmed", "attended")

# Project codes match [a-z0-9][a-z0-9-]*, so this separator never occurs inside one.
_CODE_SEPARATOR = ";"


async def volunteers_with_projects(session: AsyncSession) -> list[tuple[Volunteer, list[str]]]:
    """Every volunteer by Telegram id, with the sorted codes of their projects, in one query."""
    on_shifts = (
        select(Signup.telegram_id, Project.code)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(Signup.status.in_(MEMBER_SIGNUP_STATUSES))
    )
    added_by_tutor = select(ProjectMember.telegram_id, Project.code).join(
        Project, Project.id == ProjectMember.project_id
    )
    # UNION (not UNION ALL) counts a project once when both paths lead to it.
    memberships = on_shifts.union(added_by_tutor).subquery()
    codes = (
        select(
            memberships.c.telegram_id,
            func.aggregate_strings(memberships.c.code, _CODE_SEPARATOR).label("codes"),
        )
        .group_by(memberships.c.telegram_id)
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
