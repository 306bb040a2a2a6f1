"""Shift reminders and the hours nudge of a confirmed place, kept in step with the place.

They are queued in the transaction that confirms a place (sign-up, promotion from the
waitlist), withdrawn in the one that ends it (the volunteer's cancellation, "I can't come",
a cancelled shift) and planned again when the shift moves or the volunteer changes which
reminders they want; a volunteer marked absent gets no nudge. Nothing here commits except
`choose_reminders`, the `/settings` use case.

Their de-duplication keys are those of `REMINDER` and `HOURS_NUDGE` in bot/notices/shifts.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.maps import hub_place
from bot.notices.registry import Notice
from bot.notices.shifts import HOURS_NUDGE, REMINDER
from bot.services.events import reminders as event_reminders
from bot.services.volunteering.reminder_times import ReminderPolicy, nudge_time, reminder_times
from storage.models import Project, Shift, SignupStatus
from storage.repositories import hubs as hubs_repo
from storage.repositories import reminders as repo
from storage.repositories import shifts as shifts_repo
from storage.repositories import users as users_repo

# Why a notice was withdrawn; only these are put back when the place is planned again.
PLACE_ENDED = "the place is no longer held"
REPLANNED = "planned again"
_REVIVABLE = (PLACE_ENDED, REPLANNED)
HOURS_LOGGED = "hours already logged"
ABSENT = "marked absent"


async def place_params(
    session: AsyncSession, shift: Shift, project: Project, zone: str
) -> dict[str, Any]:
    """What every notice about a shift shows: the project, the times, the place, and the
    project's hub (the house and its address, with a map), as plain data."""
    hub = None if project.hub_id is None else await hubs_repo.hub_by_id(session, project.hub_id)
    return {
        "shift_id": shift.id,
        "title": project.title,
        "start": shift.start_at.isoformat(),
        "end": shift.end_at.isoformat(),
        "place": shift.place,
        "hub": None if hub is None else hub_place(hub.name, hub.address, hub.lat, hub.lon),
        "zone": zone,
    }


async def _put(
    session: AsyncSession,
    notice: Notice,
    key: str,
    *,
    recipient: int,
    params: dict[str, Any],
    due_at: datetime,
    now: datetime,
) -> None:
    """Queues the notice, or revives the one withdrawn by this module, or moves it."""
    if await notice.queue(
        session,
        key,
        recipient_id=recipient,
        params=params,
        due_at=due_at,
        now=now,
        revivable=_REVIVABLE,
    ):
        return
    await repo.reschedule_pending(session, key, due_at=due_at, params=params)


async def _wanted_offsets(
    session: AsyncSession, user_id: int, policy: ReminderPolicy
) -> tuple[timedelta, ...]:
    user = await users_repo.get_user(session, user_id)
    return policy.wanted(user.reminder_offsets if user is not None else None)


async def _queue_reminders(
    session: AsyncSession,
    shift: Shift,
    project: Project,
    user_id: int,
    now: datetime,
    policy: ReminderPolicy,
) -> None:
    offsets = await _wanted_offsets(session, user_id, policy)
    params = await place_params(session, shift, project, str(policy.zone))
    planned = reminder_times(
        shift.start_at, offsets, now=now, quiet=policy.quiet_hours, zone=policy.zone
    )
    for reminder in planned:
        await _put(
            session,
            REMINDER,
            REMINDER.key(shift.id, user_id, reminder.offset, shift.start_at),
            recipient=user_id,
            params=params,
            due_at=reminder.due_at,
            now=now,
        )


async def _queue_nudge(
    session: AsyncSession,
    shift: Shift,
    project: Project,
    user_id: int,
    now: datetime,
    policy: ReminderPolicy,
) -> None:
    due = nudge_time(shift.end_at, policy.nudge_after, quiet=policy.quiet_hours, zone=policy.zone)
    await _put(
        session,
        HOURS_NUDGE,
        HOURS_NUDGE.key(shift.id, user_id),
        recipient=user_id,
        params=await place_params(session, shift, project, str(policy.zone)),
        due_at=due,
        now=now,
    )


async def plan_place(
    session: AsyncSession, shift: Shift, user_id: int, now: datetime, policy: ReminderPolicy
) -> None:
    """A place was confirmed: its reminders and its hours nudge, without committing."""
    project = await shifts_repo.project_of(session, shift)
    await _queue_reminders(session, shift, project, user_id, now, policy)
    await _queue_nudge(session, shift, project, user_id, now, policy)


async def withdraw_place(session: AsyncSession, shift_id: int, user_id: int) -> int:
    """The place is no longer held: its pending reminders and nudge go, without committing."""
    nudges = await HOURS_NUDGE.withdraw(
        session, keys=[HOURS_NUDGE.key(shift_id, user_id)], reason=PLACE_ENDED
    )
    return nudges + await _withdraw_reminders(session, shift_id, user_id, PLACE_ENDED)


async def _withdraw_reminders(
    session: AsyncSession, shift_id: int, user_id: int, reason: str
) -> int:
    return await REMINDER.withdraw(
        session, prefixes=REMINDER.family(shift_id, user_id), reason=reason
    )


async def replan_place(
    session: AsyncSession, shift: Shift, user_id: int, now: datetime, policy: ReminderPolicy
) -> None:
    """The shift moved: reminders for the new start, the nudge after the new end (no commit)."""
    await _withdraw_reminders(session, shift.id, user_id, REPLANNED)
    await plan_place(session, shift, user_id, now, policy)


async def attendance_marked(
    session: AsyncSession, shift_id: int, user_id: int, *, present: bool
) -> None:
    """A tutor marked the volunteer absent (no nudge) or, after all, present (no commit)."""
    key = HOURS_NUDGE.key(shift_id, user_id)
    if present:
        await repo.revive_withdrawn(session, key, reasons=[ABSENT])
    else:
        await HOURS_NUDGE.withdraw(session, keys=[key], reason=ABSENT)


async def withdraw_nudge(session: AsyncSession, shift_id: int, user_id: int) -> int:
    """Hours for the shift were logged: the nudge is not sent (no commit; for the hours code)."""
    return await HOURS_NUDGE.withdraw(
        session, keys=[HOURS_NUDGE.key(shift_id, user_id)], reason=HOURS_LOGGED
    )


async def replan_user(
    session: AsyncSession, user_id: int, now: datetime, policy: ReminderPolicy
) -> None:
    """The user chose other reminders: those of their upcoming places follow (no commit)."""
    for signup, shift, project in await shifts_repo.upcoming_places(session, user_id, now):
        if signup.status != SignupStatus.CONFIRMED or shift.start_at <= now:
            continue
        await _withdraw_reminders(session, shift.id, user_id, REPLANNED)
        await _queue_reminders(session, shift, project, user_id, now, policy)
    # The reminders of the greenway events they said they will come to follow as well.
    await event_reminders.replan_for_user(session, user_id, now, policy)


@dataclass(frozen=True)
class ReminderChoice:
    offset: timedelta
    chosen: bool


async def reminder_choices(
    session: AsyncSession, user_id: int, policy: ReminderPolicy
) -> list[ReminderChoice]:
    """Each configured offset, longest first, and whether the user wants it."""
    wanted = set(await _wanted_offsets(session, user_id, policy))
    return [ReminderChoice(offset, offset in wanted) for offset in policy.offsets]


class UnknownOffset(ValueError):
    """The offset is not (any more) one of REMINDER_OFFSETS."""


async def choose_reminders(
    session: AsyncSession,
    user_id: int,
    *,
    toggle: int | None,
    now: datetime,
    policy: ReminderPolicy,
) -> list[ReminderChoice]:
    """Switches one offset (seconds) on or off, or all off with None; re-plans and commits."""
    user = await users_repo.get_user(session, user_id)
    if user is None:
        raise LookupError(user_id)
    configured = [int(offset.total_seconds()) for offset in policy.offsets]
    wanted = {int(offset.total_seconds()) for offset in policy.wanted(user.reminder_offsets)}
    if toggle is None:
        wanted = set()
    elif toggle not in configured:
        raise UnknownOffset(toggle)
    else:
        wanted ^= {toggle}
    user.reminder_offsets = [seconds for seconds in configured if seconds in wanted]
    await session.flush()
    await replan_user(session, user_id, now, policy)
    await session.commit()
    return await reminder_choices(session, user_id, policy)


class NotComing(LookupError):
    """The user holds no confirmed place on the shift (any more)."""


async def confirm_coming(session: AsyncSession, user_id: int, shift_id: int, now: datetime) -> None:
    """ "I'll be there": the place must still be confirmed and the shift not over.

    Nothing is written: a confirmed place already counts the volunteer in.
    """
    signup = await shifts_repo.get_signup(session, shift_id, user_id)
    shift = await shifts_repo.get_shift(session, shift_id)
    held = signup is not None and signup.status == SignupStatus.CONFIRMED
    if not held or shift is None or shift.cancelled or shift.end_at <= now:
        raise NotComing(shift_id)
