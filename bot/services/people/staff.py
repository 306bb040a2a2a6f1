"""Staff: appointing tutors and admins, and telling who is staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.shifts import STAFF_APPOINTED
from bot.services.hours import reports as hours
from bot.services.people import audit, roles
from bot.services.people.roles import Role
from storage.models import Staff, StaffRole
from storage.repositories import hours as hours_repo
from storage.repositories import staff as repo


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
    await repo.clear_removal(session, telegram_id)  # appointed again: catalogs may list them
    if member is None:
        session.add(Staff(telegram_id=telegram_id, role=StaffRole(role), created_at=now))
    else:
        member.role = StaffRole(role)
    already = await repo.tutored_project_ids(session, telegram_id)
    for project in projects.values():
        if project.id not in already:
            repo.add_tutorship(session, project.id, telegram_id)
    await STAFF_APPOINTED.queue(
        session,
        STAFF_APPOINTED.key(telegram_id, role.value, projects),
        recipient_id=telegram_id,
        params={
            "role": role.value,
            "projects": [projects[code].title for code in sorted(projects)],
        },
        now=now,
    )
    audit.record(
        session,
        None,
        "staff.added",
        f"user:{telegram_id}",
        now,
        subject=telegram_id,
        role=role.value,
        projects=sorted(projects),
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


async def remove_staff(
    session: AsyncSession,
    telegram_id: int,
    *,
    admin_ids: tuple[int, ...] = (),
    now: datetime,
) -> int:
    """Removes the role and the tutorships; their pending approvals pass to the others.

    The removal is recorded, so that no catalog import appoints them again.

    Returns how many pending reports were handed over.
    """
    if await repo.get_staff(session, telegram_id) is None:
        raise StaffError(f"{telegram_id} is not staff")
    project_ids = await repo.tutored_project_ids(session, telegram_id)
    await repo.remove_staff(session, telegram_id)
    await repo.record_removal(session, telegram_id, now)
    handed = await _hand_over_pending(session, telegram_id, project_ids, admin_ids, now)
    audit.record(
        session,
        None,
        "staff.removed",
        f"user:{telegram_id}",
        now,
        subject=telegram_id,
        handed_over=handed,
    )
    await session.commit()
    return handed


_ALL = 1_000_000  # no page limit: every pending report passes on


async def _hand_over_pending(
    session: AsyncSession,
    leaving: int,
    project_ids: set[int],
    admin_ids: tuple[int, ...],
    now: datetime,
) -> int:
    """The project's other tutors and every admin are told of what still awaits a decision."""
    admins = await roles.admins(session, admin_ids) - {leaving}
    handed = 0
    for project_id in sorted(project_ids):
        reports = await hours_repo.pending_reports(session, [project_id], 0, _ALL)
        if not reports:
            continue
        others = await hours_repo.tutors_of(session, project_id)
        reviewers = sorted(set(others) | admins)
        for report, project, _name in reports:
            await hours.withdraw_submitted(
                session, report.id, reason="staff removed", reviewer=leaving
            )
            await hours.queue_submitted_notices(session, report, project, reviewers, now)
            handed += 1
    return handed


async def staff_by_audience(
    session: AsyncSession, admin_ids: tuple[int, ...]
) -> tuple[set[int], set[int]]:
    """The tutors' and the admins' ids (ADMIN_IDS included), for their command menus."""
    admins = await roles.admins(session, admin_ids)
    staff = await repo.staff_roles(session)
    tutors = {telegram_id for telegram_id, role in staff if role is StaffRole.TUTOR} - admins
    return tutors, admins
