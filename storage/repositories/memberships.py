"""Who belongs to which project, written once for the hours, the register export and audiences.

The signup statuses that make a member are the services' rule, passed in.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Subquery, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, ProjectMember, Shift, Signup, SignupStatus


def memberships(
    signup_statuses: Collection[SignupStatus],
    *,
    telegram_id: int | None = None,
    project_id: int | None = None,
) -> Subquery:
    """(telegram_id, project_id) of each membership, optionally of one person or project:
    a signup in `signup_statuses` on one of the project's shifts, or added by a tutor."""
    on_shifts = (
        select(Signup.telegram_id, Shift.project_id)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(Signup.status.in_(signup_statuses))
    )
    added = select(ProjectMember.telegram_id, ProjectMember.project_id)
    # Filtered in each branch, so that each reads its index rather than every membership.
    if telegram_id is not None:
        on_shifts = on_shifts.where(Signup.telegram_id == telegram_id)
        added = added.where(ProjectMember.telegram_id == telegram_id)
    if project_id is not None:
        on_shifts = on_shifts.where(Shift.project_id == project_id)
        added = added.where(ProjectMember.project_id == project_id)
    # UNION (not UNION ALL) counts a membership once when both paths lead to it.
    return union(on_shifts, added).subquery()


async def projects_of(
    session: AsyncSession, telegram_id: int, signup_statuses: Collection[SignupStatus]
) -> list[Project]:
    """The projects the volunteer belongs to, by code."""
    ids = memberships(signup_statuses, telegram_id=telegram_id)
    rows = await session.scalars(
        select(Project).where(Project.id.in_(select(ids.c.project_id))).order_by(Project.code)
    )
    return list(rows)
