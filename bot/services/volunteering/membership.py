"""Who belongs to a project: the rule the hours, the register export and the audiences share.

A volunteer belongs to a project once they hold a place on one of its shifts (confirmed,
or attended) or a tutor has added them; a waitlisted, cancelled, withdrawn or missed place
does not make them one.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Project, SignupStatus
from storage.repositories import memberships as repo

MEMBER_SIGNUP_STATUSES = (SignupStatus.CONFIRMED, SignupStatus.ATTENDED)


async def projects_of(session: AsyncSession, telegram_id: int) -> list[Project]:
    """The projects the volunteer belongs to, by code."""
    return await repo.projects_of(session, telegram_id, MEMBER_SIGNUP_STATUSES)
