"""Admins appoint and remove staff in the Mini App, through the services `quartiere-bot
staff` uses (same notices, same removal rules), audited with the admin as actor.

Rules, each a step of every use case:
- only admins (checked here again, whatever the endpoint checked: PermissionError);
- only someone who wrote to the bot may be appointed: the bot tells them, and cannot
  write first to someone who never wrote;
- appointing twice is harmless (the services add only what is missing);
- removing a role no longer held is `RemovedMeanwhile` (someone else removed it);
- an admin never removes their own admin role, and with ADMIN_IDS empty the last admin is
  never removed, so the office cannot lock itself out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import staff
from bot.services.people.roles import Actor, Role
from storage.repositories import staff as staff_repo
from storage.repositories import staff_editing as repo
from storage.types import Translations

# The roles the Mini App gives and takes; office, secretary and desk stay with the CLI.
EDITABLE = (Role.TUTOR, Role.ADMIN)
SEARCH_LIMIT = 20


class Refusal(StrEnum):
    """Why a form is refused; the handler words each one for its field."""

    NOT_AN_ID = "not_an_id"
    UNKNOWN_PERSON = "unknown_person"
    NO_PROJECT = "no_project"
    UNKNOWN_PROJECT = "unknown_project"
    NOT_EDITABLE = "not_editable"
    OWN_ADMIN_ROLE = "own_admin_role"
    LAST_ADMIN = "last_admin"


class StaffRefused(Exception):
    """The form breaks a rule: the field, why, and the values at fault (unknown codes)."""

    def __init__(self, field: str, refusal: Refusal, values: tuple[str, ...] = ()) -> None:
        super().__init__(f"{field}: {refusal}")
        self.field = field
        self.refusal = refusal
        self.values = values


class RemovedMeanwhile(Exception):
    """The person no longer holds the role: someone removed it since the page was read."""


@dataclass(frozen=True)
class HeldRole:
    role: Role
    scopes: tuple[str, ...]  # a tutor's project codes, a scoped role's codes
    removable: bool  # in the Mini App (office, secretary and desk: with the CLI)


@dataclass(frozen=True)
class StaffPerson:
    telegram_id: int
    name: str | None  # as the bot knows it, None when it knows none
    roles: tuple[HeldRole, ...]


def _admin_only(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionError("only admins manage the staff")


async def list_people(session: AsyncSession, actor: Actor) -> list[StaffPerson]:
    """Every staff member with every role held, as `quartiere-bot staff list` shows them."""
    _admin_only(actor)
    members = await staff.list_staff(session)
    names = await repo.names_of(session, {member.telegram_id for member in members})
    people: dict[int, list[HeldRole]] = {}
    for member in members:
        people.setdefault(member.telegram_id, []).append(
            HeldRole(member.role, member.scopes, member.role in EDITABLE)
        )
    return [
        StaffPerson(telegram_id, names.get(telegram_id), tuple(held))
        for telegram_id, held in people.items()
    ]


async def projects(session: AsyncSession, actor: Actor) -> list[tuple[str, Translations]]:
    """The projects a tutor may be appointed to: code and title."""
    _admin_only(actor)
    return await repo.projects(session)


async def people_named(session: AsyncSession, actor: Actor, text: str) -> list[tuple[int, str]]:
    """People who wrote to the bot whose name contains `text`, to choose whom to appoint."""
    _admin_only(actor)
    text = text.strip()
    return await repo.people_named(session, text, SEARCH_LIMIT) if text else []


async def appoint(
    session: AsyncSession,
    actor: Actor,
    telegram_id: int,
    role: Role,
    project_codes: list[str],
    now: datetime,
) -> None:
    """Gives the role (a tutor's for these projects); the person is told through the outbox."""
    _admin_only(actor)
    if role not in EDITABLE:
        raise StaffRefused("role", Refusal.NOT_EDITABLE)
    if telegram_id <= 0:
        raise StaffRefused("telegram_id", Refusal.NOT_AN_ID)
    if not await repo.is_known(session, telegram_id):
        raise StaffRefused("telegram_id", Refusal.UNKNOWN_PERSON)
    codes = sorted(set(project_codes)) if role is Role.TUTOR else []
    if role is Role.TUTOR and not codes:
        raise StaffRefused("projects", Refusal.NO_PROJECT)
    known = {code for code, _title in await repo.projects(session)}
    missing = tuple(code for code in codes if code not in known)
    if missing:
        raise StaffRefused("projects", Refusal.UNKNOWN_PROJECT, missing)
    try:
        await staff.add_staff(session, telegram_id, role, codes, now, actor=actor.telegram_id)
    except IntegrityError:
        # Appointed at the same moment by another request: once more adds only what is missing.
        await session.rollback()
        await staff.add_staff(session, telegram_id, role, codes, now, actor=actor.telegram_id)


async def remove(
    session: AsyncSession,
    actor: Actor,
    telegram_id: int,
    role: Role,
    admin_ids: tuple[int, ...],
    now: datetime,
) -> int:
    """Removes one role, as `staff remove --role` does; how many pending reports passed on."""
    _admin_only(actor)
    if role not in EDITABLE:
        raise StaffRefused("role", Refusal.NOT_EDITABLE)
    if role is Role.ADMIN:
        if telegram_id == actor.telegram_id:
            raise StaffRefused("role", Refusal.OWN_ADMIN_ROLE)
        admins = await repo.lock_admins(session)  # first: held until remove_staff commits
        if not admin_ids and admins <= {telegram_id}:
            await session.rollback()
            if not admins:
                raise RemovedMeanwhile
            raise StaffRefused("role", Refusal.LAST_ADMIN)
    held = {Role(member.role) for member in await staff_repo.roles_held(session, telegram_id)}
    if role not in held:
        await session.rollback()
        raise RemovedMeanwhile
    return await staff.remove_staff(
        session, telegram_id, role=role, admin_ids=admin_ids, now=now, actor=actor.telegram_id
    )
