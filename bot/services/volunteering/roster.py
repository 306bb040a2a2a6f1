"""Tutors and their shifts: the roster, identity and requirements, attendance, messages.

Every action checks here, whatever a button claimed, that the person acting is a tutor of
the shift's project or an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.shifts import TUTOR_MESSAGE, VOLUNTEER_REPLY
from bot.services.people import audit
from bot.services.people.roles import Actor
from bot.services.volunteering import reminders
from bot.services.volunteering.shifts import ShiftInfo, shift_info
from storage.models import Shift, Signup, SignupStatus, Volunteer
from storage.repositories import hours as hours_repo
from storage.repositories import roster as repo
from storage.repositories import shifts as shifts_repo
from storage.repositories import volunteers as volunteers_repo


class NotAllowed(PermissionError):
    """Only the shift's project tutors and the admins may do this."""


class RosterError(ValueError):
    """The action does not fit the shift or the person (e.g. attendance before it starts)."""


class MessageTooLong(RosterError):
    """A message to a shift longer than MAX_MESSAGE_LENGTH."""


# What fits in one Telegram message with the heading naming tutor, project and shift.
MAX_MESSAGE_LENGTH = 3500


class TooLate(RosterError):
    """An undo asked after UNDO_WINDOW."""


class NotYours(RosterError):
    """An undo asked by someone other than whoever confirmed."""


# How long whoever confirmed an identity may take it back.
UNDO_WINDOW = timedelta(minutes=10)


class Action(StrEnum):
    IDENTITY = "identity"
    GUARDIAN = "guardian"
    MEDICAL = "medical"
    PRESENT = "present"
    ABSENT = "absent"


# A place, or one whose attendance is already marked (a tutor may correct the mark).
_ATTENDANCE_MARKABLE = (SignupStatus.CONFIRMED, SignupStatus.ATTENDED, SignupStatus.NO_SHOW)


@dataclass(frozen=True)
class Person:
    telegram_id: int
    name: str
    phone: str | None
    status: SignupStatus
    position: int | None
    identity_verified: bool
    guardian_pending: bool
    medical_pending: bool


@dataclass(frozen=True)
class Roster:
    shift: ShiftInfo
    started: bool
    people: tuple[Person, ...]


async def _shift_for_staff(session: AsyncSession, actor: Actor, shift_id: int) -> Shift:
    shift = await shifts_repo.get_shift(session, shift_id)
    if shift is None:
        raise RosterError("unknown shift")
    if not actor.may_manage(shift.project_id):
        raise NotAllowed(actor.telegram_id)
    return shift


def _person(signup: Signup, volunteer: Volunteer | None, position: int | None) -> Person:
    return Person(
        telegram_id=signup.telegram_id,
        name=volunteer.full_name if volunteer else str(signup.telegram_id),
        phone=volunteer.phone if volunteer else None,
        status=signup.status,
        position=position,
        identity_verified=bool(volunteer and volunteer.identity_verified),
        guardian_pending=bool(
            volunteer and volunteer.needs_guardian and not volunteer.guardian_confirmed
        ),
        medical_pending=bool(
            volunteer and volunteer.needs_medical and not volunteer.medical_cleared
        ),
    )


async def roster(session: AsyncSession, actor: Actor, shift_id: int, now: datetime) -> Roster:
    shift = await _shift_for_staff(session, actor, shift_id)
    people = []
    waiting = 0
    for signup, volunteer in await repo.people_on_shift(session, shift_id):
        position = None
        if signup.status == SignupStatus.WAITLISTED:
            waiting += 1
            position = waiting
        people.append(_person(signup, volunteer, position))
    info = shift_info(shift, await shifts_repo.project_of(session, shift))
    # The roster shows names and phones: reading it is recorded.
    await audit.record_read(session, actor.telegram_id, "roster.viewed", f"shift:{shift_id}", now)
    return Roster(info, shift.start_at <= now, tuple(people))


async def act(
    session: AsyncSession,
    actor: Actor,
    shift_id: int,
    volunteer_id: int,
    action: Action,
    now: datetime,
) -> None:
    """Confirms identity or a requirement, or records attendance, with a dated entry."""
    shift = await _shift_for_staff(session, actor, shift_id)
    signup = await shifts_repo.get_signup(session, shift_id, volunteer_id)
    volunteer = await volunteers_repo.get_volunteer(session, volunteer_id)
    if (
        signup is None
        or volunteer is None
        or signup.status in (SignupStatus.CANCELLED, SignupStatus.WITHDRAWN)
    ):
        raise RosterError("not on this shift")
    if action in (Action.PRESENT, Action.ABSENT):
        if shift.start_at > now:
            raise RosterError("attendance is marked once the shift has started")
        if signup.status not in _ATTENDANCE_MARKABLE:
            raise RosterError("only people with a place can attend")
        signup.status = SignupStatus.ATTENDED if action is Action.PRESENT else SignupStatus.NO_SHOW
        signup.updated_at = now
        await reminders.attendance_marked(
            session, shift_id, volunteer_id, present=action is Action.PRESENT
        )
    elif action is Action.IDENTITY:
        if not await volunteers_repo.set_identity_verified(session, volunteer_id, True):
            raise RosterError("identity already verified")
    elif action is Action.GUARDIAN:
        volunteer.guardian_confirmed = True
    else:
        volunteer.medical_cleared = True
    entry = (
        f"attendance_{action.value}"
        if action in (Action.PRESENT, Action.ABSENT)
        else (f"{action.value}_confirmed")
    )
    volunteers_repo.add_entry(
        session, volunteer_id, entry, {"shift_id": shift_id}, now, recorded_by=actor.telegram_id
    )
    audit.record(
        session,
        actor.telegram_id,
        f"roster.{entry}",
        f"shift:{shift_id} user:{volunteer_id}",
        now,
        subject=volunteer_id,
    )
    await session.commit()


async def person_to_verify(
    session: AsyncSession, actor: Actor, shift_id: int, volunteer_id: int
) -> Person:
    """Before a tutor confirms an identity: the person, on the shift, still to verify."""
    await _shift_for_staff(session, actor, shift_id)
    signup = await shifts_repo.get_signup(session, shift_id, volunteer_id)
    volunteer = await volunteers_repo.get_volunteer(session, volunteer_id)
    if (
        signup is None
        or volunteer is None
        or signup.status in (SignupStatus.CANCELLED, SignupStatus.WITHDRAWN)
    ):
        raise RosterError("not on this shift")
    if volunteer.identity_verified:
        raise RosterError("identity already verified")
    return _person(signup, volunteer, None)


async def undo_identity(
    session: AsyncSession, actor: Actor, shift_id: int, volunteer_id: int, now: datetime
) -> Person:
    """Takes an identity confirmation back: only whoever confirmed it, within UNDO_WINDOW;
    a dated register entry and an audit entry record it."""
    await _shift_for_staff(session, actor, shift_id)
    confirmed = await volunteers_repo.last_entry(session, volunteer_id, "identity_confirmed")
    if confirmed is None:
        raise RosterError("identity never confirmed")
    if confirmed.recorded_by != actor.telegram_id:
        raise NotYours(actor.telegram_id)
    if now - confirmed.recorded_at > UNDO_WINDOW:
        raise TooLate(volunteer_id)
    if not await volunteers_repo.set_identity_verified(session, volunteer_id, False):
        await session.rollback()
        raise RosterError("identity not verified")
    volunteers_repo.add_entry(
        session,
        volunteer_id,
        "identity_undone",
        {"shift_id": shift_id},
        now,
        recorded_by=actor.telegram_id,
    )
    audit.record(
        session,
        actor.telegram_id,
        "roster.identity_undone",
        f"shift:{shift_id} user:{volunteer_id}",
        now,
        subject=volunteer_id,
    )
    signup = await shifts_repo.get_signup(session, shift_id, volunteer_id)
    volunteer = await volunteers_repo.get_volunteer(session, volunteer_id)
    await session.commit()
    if signup is None:
        raise RosterError("not on this shift")
    return _person(signup, volunteer, None)


async def message_shift(
    session: AsyncSession,
    actor: Actor,
    shift_id: int,
    text: str,
    now: datetime,
    *,
    length: int,
    zone: str,
) -> int:
    """Queues the tutor's message (`text` in Telegram HTML, `length` characters as shown)
    to everyone holding a place or a waitlist position, with the tutor's name, the
    project and the shift; a message too long for one bubble is refused, never cut."""
    if length > MAX_MESSAGE_LENGTH:
        raise MessageTooLong(length)
    shift = await _shift_for_staff(session, actor, shift_id)
    info = shift_info(shift, await shifts_repo.project_of(session, shift))
    tutor = await hours_repo.display_name(session, actor.telegram_id)
    count = 0
    for signup, _volunteer in await repo.people_on_shift(session, shift_id):
        if signup.status not in shifts_repo.HELD:
            continue
        count += await TUTOR_MESSAGE.queue(
            session,
            TUTOR_MESSAGE.key(shift_id, signup.telegram_id, now),
            recipient_id=signup.telegram_id,
            params={
                "text": text,
                "html": True,
                "tutor": tutor or "",
                "title": info.project_title,
                "start": shift.start_at.isoformat(),
                "zone": zone,
                "shift_id": shift_id,
                "tutor_id": actor.telegram_id,
            },
            now=now,
        )
    audit.record(
        session, actor.telegram_id, "roster.message", f"shift:{shift_id}", now, recipients=count
    )
    await session.commit()
    return count


async def reply_to_tutor(
    session: AsyncSession,
    volunteer_id: int,
    shift_id: int,
    tutor_id: int,
    text: str,
    now: datetime,
    *,
    length: int,
    zone: str,
) -> str:
    """Queues a volunteer's reply (Telegram HTML) to a tutor of a shift they are on, with
    who it is from and the shift; returns the tutor's name. Refused, never cut, when too
    long; refused when the volunteer has no place there or the tutor is not the shift's."""
    if length > MAX_MESSAGE_LENGTH:
        raise MessageTooLong(length)
    shift = await shifts_repo.get_shift(session, shift_id)
    signup = await shifts_repo.get_signup(session, shift_id, volunteer_id)
    if shift is None or signup is None or signup.status not in shifts_repo.HELD:
        raise RosterError("not on this shift")
    if tutor_id not in await hours_repo.tutors_of(session, shift.project_id):
        raise RosterError("not a tutor of this shift")
    info = shift_info(shift, await shifts_repo.project_of(session, shift))
    volunteer = await volunteers_repo.get_volunteer(session, volunteer_id)
    await VOLUNTEER_REPLY.queue(
        session,
        VOLUNTEER_REPLY.key(shift_id, volunteer_id, now),
        recipient_id=tutor_id,
        params={
            "text": text,
            "volunteer": volunteer.full_name if volunteer else str(volunteer_id),
            "title": info.project_title,
            "start": shift.start_at.isoformat(),
            "zone": zone,
            "shift_id": shift_id,
        },
        now=now,
    )
    tutor = await hours_repo.display_name(session, tutor_id)
    await session.commit()
    return tutor or ""
