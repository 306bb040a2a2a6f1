"""Staff: appointing people to roles (several each), removing them, telling who holds what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.shifts import STAFF_APPOINTED
from bot.services.hours import reports as hours
from bot.services.people import audit, roles
from bot.services.people.roles import SCOPED, Role
from storage.models import Staff, StaffRole
from storage.repositories import hours as hours_repo
from storage.repositories import staff as repo

SCOPE_LENGTH = 64  # the column's width
# cache: a constant lookup table, only read
SCOPE_OPTIONS = {Role.OFFICE: "--office", Role.SECRETARY: "--consulta", Role.DESK: "--desk"}


@dataclass(frozen=True)
class StaffMember:
    """One role one person holds, with its scopes: a tutor's project codes, an office's,
    a Consulta's or a desk's code; none for an admin."""

    telegram_id: int
    role: Role
    scopes: tuple[str, ...]

    @property
    def projects(self) -> tuple[str, ...]:
        return self.scopes if self.role is Role.TUTOR else ()


class StaffError(ValueError):
    """A staff command that cannot be carried out; the message says why."""


def _check(role: Role, project_codes: Sequence[str], scopes: Sequence[str]) -> None:
    if role is Role.CITIZEN:
        raise StaffError("citizen is not a staff role")
    if role is not Role.TUTOR and project_codes:
        raise StaffError("--project applies to tutors only")
    if role is Role.TUTOR and not project_codes:
        raise StaffError("a tutor needs at least one --project")
    if role not in SCOPED and scopes:
        raise StaffError(f"a {role.value} has no --office, --consulta or --desk")
    if role in SCOPED and not scopes:
        raise StaffError(f"a {role.value} needs at least one {SCOPE_OPTIONS[role]}")
    for code in scopes:
        # `staff list` separates codes with spaces and fields with commas.
        if not code or len(code) > SCOPE_LENGTH or any(c.isspace() or c == "," for c in code):
            raise StaffError(
                f"{code!r} is not a code (1 to {SCOPE_LENGTH} characters, no spaces or commas)"
            )


async def add_staff(
    session: AsyncSession,
    telegram_id: int,
    role: Role,
    project_codes: list[str],
    now: datetime,
    scopes: Sequence[str] = (),
    *,
    actor: int | None = None,
) -> list[StaffMember]:
    """Adds one role to the person's others (tutorships and scopes add to those held).

    `actor` is the admin appointing in the Mini App, None the command line (the audit's).

    Office, Consulta and desk codes are stored as given: the catalog has none of them yet.
    A tutor appointed again may be listed by catalogs again. Returns every role now held.
    """
    if telegram_id <= 0:
        raise StaffError(f"{telegram_id} is not a Telegram user id")
    _check(role, project_codes, scopes)
    projects = await repo.projects_by_code(session, project_codes)
    missing = sorted(set(project_codes) - set(projects))
    if missing:
        raise StaffError(f"unknown project: {', '.join(missing)}")
    held = {(member.role, member.scope) for member in await repo.roles_held(session, telegram_id)}
    wanted = sorted(set(scopes)) or [""]
    for scope in wanted:
        if (StaffRole(role), scope) not in held:
            session.add(
                Staff(telegram_id=telegram_id, role=StaffRole(role), scope=scope, created_at=now)
            )
    if role is Role.TUTOR:
        await repo.clear_removal(session, telegram_id)  # appointed again: catalogs may list them
    already = await repo.tutored_project_ids(session, telegram_id)
    for project in projects.values():
        if project.id not in already:
            repo.add_tutorship(session, project.id, telegram_id)
    named = list(projects) if role is Role.TUTOR else [code for code in wanted if code]
    await STAFF_APPOINTED.queue(
        session,
        STAFF_APPOINTED.key(telegram_id, role.value, named),
        recipient_id=telegram_id,
        params={
            "role": role.value,
            "projects": [projects[code].title for code in sorted(projects)],
            "scopes": [code for code in wanted if code],
        },
        now=now,
    )
    extra = {"scopes": [code for code in wanted if code]} if role in SCOPED else {}
    audit.record(
        session,
        actor,
        "staff.added",
        f"user:{telegram_id}",
        now,
        subject=telegram_id,
        role=role.value,
        projects=sorted(projects),
        **extra,
    )
    await session.commit()
    return [member for member in await list_staff(session) if member.telegram_id == telegram_id]


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    """One entry per role held (tutor, admin, office, secretary, desk); a scoped role's
    codes together on one entry."""
    members: dict[tuple[int, Role], list[str]] = {}
    for member, projects in await repo.list_staff(session):
        scopes = members.setdefault((member.telegram_id, Role(member.role)), [])
        if member.role is StaffRole.TUTOR:
            scopes.extend(projects)
        elif member.scope:
            scopes.append(member.scope)
    order = list(Role)  # by person, then in the order the roles are defined
    return [
        StaffMember(telegram_id, role, tuple(sorted(scopes)))
        for (telegram_id, role), scopes in sorted(
            members.items(), key=lambda item: (item[0][0], order.index(item[0][1]))
        )
    ]


async def remove_staff(
    session: AsyncSession,
    telegram_id: int,
    *,
    role: Role | None = None,
    admin_ids: tuple[int, ...] = (),
    now: datetime,
    actor: int | None = None,
) -> int:
    """Removes one role, or every role (`role` None); with the tutor's role go the
    tutorships, and their pending approvals pass to the others.

    Removing the tutor's role is recorded, so that no catalog import appoints them again.

    `actor` is the admin removing in the Mini App, None the command line (the audit's).

    Returns how many pending reports were handed over.
    """
    held = {Role(member.role) for member in await repo.roles_held(session, telegram_id)}
    if not held:
        raise StaffError(f"{telegram_id} is not staff")
    if role is not None and role not in held:
        raise StaffError(f"{telegram_id} is not {role.value}")
    project_ids = await repo.tutored_project_ids(session, telegram_id)
    leaves_tutoring = role in (None, Role.TUTOR)
    await repo.remove_roles(session, telegram_id, None if role is None else StaffRole(role))
    handed = 0
    if leaves_tutoring:
        await repo.record_removal(session, telegram_id, now)
        handed = await _hand_over_pending(session, telegram_id, project_ids, admin_ids, now)
    extra = {} if role is None else {"role": role.value}
    audit.record(
        session,
        actor,
        "staff.removed",
        f"user:{telegram_id}",
        now,
        subject=telegram_id,
        handed_over=handed,
        **extra,
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
) -> tuple[set[int], set[int], set[int]]:
    """The tutors', the admins' (ADMIN_IDS included) and the other staff's ids (office,
    secretary and desk roles only), for their command menus."""
    admins = await roles.admins(session, admin_ids)
    staff = await repo.staff_roles(session)
    tutors = {telegram_id for telegram_id, role in staff if role is StaffRole.TUTOR} - admins
    others = {telegram_id for telegram_id, _role in staff} - tutors - admins
    return tutors, admins, others


@dataclass(frozen=True)
class HeldRole:
    """One role as /staff and /mydata show it: a tutor's projects by title (translatable),
    a scoped role's codes."""

    role: Role
    scopes: tuple[str, ...] = ()
    projects: tuple[dict[str, str], ...] = ()


# The order roles are shown in: the widest first.
SHOWN_ORDER = (Role.ADMIN, Role.TUTOR, Role.OFFICE, Role.SECRETARY, Role.DESK)


async def roles_held(session: AsyncSession, actor: roles.Actor) -> tuple[HeldRole, ...]:
    """What the actor holds (ADMIN_IDS included), read only; empty for a citizen."""
    titles = await repo.project_titles(session, actor.projects)
    return tuple(
        HeldRole(
            role,
            actor.scope_codes(role),
            tuple(titles[code] for code in sorted(titles)) if role is Role.TUTOR else (),
        )
        for role in SHOWN_ORDER
        if role in actor.roles
    )
