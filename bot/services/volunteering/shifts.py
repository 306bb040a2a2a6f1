"""Places on shifts: sign up while places remain, else the waitlist; first come, first served.

Every change takes the shift's lock first, so capacity holds under simultaneous sign-ups.
A freed place (a cancellation, or a catalog raising the capacity) goes at once to the
first on the waitlist, in their order, and each promoted volunteer is told through the
outbox (in the same transaction).

A promotion is late when the shift starts within `LATE_PROMOTION` (24 hours) of the moment
the place is freed: that includes a place freed late in the evening for a shift the next
morning. The promoted person may well have made other plans, so their notice asks whether
they still want it: "yes" keeps it, "no" gives it up and passes it to the next on the
waitlist (asked in turn if it is still late), and no answer keeps the place, as the
notice says. Earlier promotions only tell, with a button to decline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import shifts as shift_notices
from bot.notices.shifts import PROMOTED, STAFF_CHANGE
from bot.services.volunteering import reminders
from bot.services.volunteering.reminder_times import PROGRAMME_ZONE, ReminderPolicy
from storage.models import Project, Shift, Signup, SignupStatus
from storage.repositories import closures as closures_repo
from storage.repositories import hours as hours_repo
from storage.repositories import hubs as hubs_repo
from storage.repositories import shifts as repo
from storage.repositories import volunteers as volunteers_repo
from storage.types import Translations


class Refusal(StrEnum):
    NOT_REGISTERED = "not_registered"
    UNKNOWN_SHIFT = "unknown_shift"
    SHIFT_CANCELLED = "shift_cancelled"
    SHIFT_STARTED = "shift_started"
    ALREADY_HELD = "already_held"
    OVERLAP = "overlap"
    NOT_HELD = "not_held"
    HUB_CLOSED = "hub_closed"


class ShiftError(ValueError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class HubPlace:
    """The hub of a shift's project: named with its address and pinned on a map."""

    name: str
    address: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    project_code: str
    project_title: Translations
    start_at: datetime
    end_at: datetime
    place: Translations | None
    capacity: int
    hub: HubPlace | None = None


@dataclass(frozen=True)
class Place:
    shift: ShiftInfo
    status: SignupStatus
    position: int | None  # on the waitlist, 1 is next


def shift_info(shift: Shift, project: Project) -> ShiftInfo:
    return ShiftInfo(
        shift.id,
        project.code,
        project.title,
        shift.start_at,
        shift.end_at,
        shift.place,
        shift.capacity,
    )


async def _open_shift(session: AsyncSession, shift_id: int, now: datetime) -> Shift:
    shift = await repo.lock_shift(session, shift_id)
    if shift is None:
        raise ShiftError(Refusal.UNKNOWN_SHIFT)
    if shift.cancelled:
        raise ShiftError(Refusal.SHIFT_CANCELLED)
    if shift.start_at <= now:
        raise ShiftError(Refusal.SHIFT_STARTED)
    return shift


async def sign_up(
    session: AsyncSession,
    telegram_id: int,
    shift_id: int,
    now: datetime,
    *,
    policy: ReminderPolicy | None = None,
) -> Place:
    """Takes a place, or a waitlist position; a confirmed place gets its reminders (with a
    `policy`: callers without one, such as tests of places alone, queue none)."""
    shift = await _open_shift(session, shift_id, now)
    project = await repo.project_of(session, shift)
    if await _on_closed_days(session, project, [shift], policy.zone if policy else PROGRAMME_ZONE):
        raise ShiftError(Refusal.HUB_CLOSED)
    if await volunteers_repo.get_volunteer(session, telegram_id) is None:
        raise ShiftError(Refusal.NOT_REGISTERED)
    signup = await repo.get_signup(session, shift_id, telegram_id)
    if signup is not None and signup.status in repo.HELD:
        raise ShiftError(Refusal.ALREADY_HELD)
    if await repo.holds_overlapping(session, telegram_id, shift.start_at, shift.end_at, shift_id):
        raise ShiftError(Refusal.OVERLAP)
    confirmed = await repo.count_with_status(session, shift_id, SignupStatus.CONFIRMED)
    status = SignupStatus.CONFIRMED if confirmed < shift.capacity else SignupStatus.WAITLISTED
    # The queue follows the order of taking the lock, not of reading the clock: `now` may
    # have been read before a wait, so it is never earlier than the last one queued.
    latest = await repo.latest_queued(session, shift_id)
    queued = max(now, latest + timedelta(microseconds=1)) if latest else now
    if signup is None:
        signup = Signup(shift_id=shift_id, telegram_id=telegram_id)
        session.add(signup)
    signup.status, signup.queued_at, signup.updated_at = status, queued, now
    await session.flush()
    if status == SignupStatus.CONFIRMED and policy is not None:
        await reminders.plan_place(session, shift, telegram_id, now, policy)
    position = (
        await repo.waitlist_position(session, signup) if status == SignupStatus.WAITLISTED else None
    )
    info = replace(shift_info(shift, project), hub=await project_hub(session, project))
    place = Place(info, status, position)
    await session.commit()
    return place


async def cancel_place(
    session: AsyncSession,
    telegram_id: int,
    shift_id: int,
    now: datetime,
    *,
    zone: str,
    policy: ReminderPolicy | None = None,
) -> ShiftInfo:
    """Gives up a place (or a waitlist position); a freed place goes to the next in line."""
    shift = await _open_shift(session, shift_id, now)
    signup = await repo.get_signup(session, shift_id, telegram_id)
    if signup is None or signup.status not in repo.HELD:
        raise ShiftError(Refusal.NOT_HELD)
    freed = signup.status == SignupStatus.CONFIRMED
    signup.status, signup.updated_at = SignupStatus.CANCELLED, now
    await session.flush()
    await reminders.withdraw_place(session, shift_id, telegram_id)
    info = shift_info(shift, await repo.project_of(session, shift))
    promoted = await _fill_places(session, shift, info, now, zone, policy) if freed else []
    changes = [("promoted", person) for person in promoted]
    if freed:
        changes.insert(0, ("cancelled", telegram_id))
    await _tell_tutors(session, shift, info, now, zone, changes)
    await session.commit()
    return info


# Within this time of a shift's start, a promoted volunteer is asked if they still want it.
LATE_PROMOTION = timedelta(hours=24)


def is_late_promotion(start_at: datetime, now: datetime) -> bool:
    """Whether a place given now on a shift starting at `start_at` asks to be confirmed."""
    return start_at - now <= LATE_PROMOTION


# Within this time of a shift's start, its tutors are told of each place given up or taken.
TUTORS_TOLD_WITHIN = timedelta(hours=48)


async def _tell_tutors(
    session: AsyncSession,
    shift: Shift,
    info: ShiftInfo,
    now: datetime,
    zone: str,
    changes: list[tuple[str, int]],
) -> None:
    """Tells each tutor of the project, through the outbox, of late changes (`changes`,
    as (event, volunteer)) and of a shift left with nobody."""
    freed = any(event == "cancelled" for event, _ in changes)
    if shift.start_at - now > TUTORS_TOLD_WITHIN:
        changes = []
    if freed and not await repo.count_with_status(session, shift.id, SignupStatus.CONFIRMED):
        changes = [*changes, ("empty", 0)]
    if not changes:
        return
    tutors = await hours_repo.tutors_of(session, shift.project_id)
    for event, person in changes:
        volunteer = await volunteers_repo.get_volunteer(session, person) if person else None
        params = {
            "event": event,
            "volunteer": volunteer.full_name if volunteer else "",
            "verified": bool(volunteer and volunteer.identity_verified),
            "shift_id": shift.id,
            "title": info.project_title,
            "start": shift.start_at.isoformat(),
            "zone": zone,
        }
        for tutor in tutors:
            await STAFF_CHANGE.queue(
                session,
                STAFF_CHANGE.key(shift.id, tutor, event, person, now),
                recipient_id=tutor,
                params=params,
                now=now,
            )


async def _fill_places(
    session: AsyncSession,
    shift: Shift,
    info: ShiftInfo,
    now: datetime,
    zone: str,
    policy: ReminderPolicy | None,
) -> list[int]:
    """Gives every free place to the waitlist, first in line first; returns who got one."""
    confirmed = await repo.count_with_status(session, shift.id, SignupStatus.CONFIRMED)
    project = await repo.project_of(session, shift)
    given: list[int] = []
    while confirmed < shift.capacity:
        promoted = await repo.first_waitlisted(session, shift.id)
        if promoted is None:
            return given
        promoted.status, promoted.updated_at = SignupStatus.CONFIRMED, now
        await session.flush()
        confirmed += 1
        params = await reminders.place_params(session, shift, project, zone)
        await PROMOTED.queue(
            session,
            PROMOTED.key(shift.id, promoted.telegram_id, now),
            recipient_id=promoted.telegram_id,
            params={**params, "late": is_late_promotion(shift.start_at, now)},
            now=now,
        )
        if policy is not None:  # after the notice, so that it is the first they read
            await reminders.plan_place(session, shift, promoted.telegram_id, now, policy)
        given.append(promoted.telegram_id)
    return given


async def my_places(session: AsyncSession, telegram_id: int, now: datetime) -> list[Place]:
    places = []
    for signup, shift, project in await repo.upcoming_places(session, telegram_id, now):
        position = None
        if signup.status == SignupStatus.WAITLISTED:
            position = await repo.waitlist_position(session, signup)
        info = replace(shift_info(shift, project), hub=await project_hub(session, project))
        places.append(Place(info, signup.status, position))
    return places


async def project_hub(session: AsyncSession, project: Project) -> HubPlace | None:
    if project.hub_id is None:
        return None
    hub = await hubs_repo.hub_by_id(session, project.hub_id)
    return None if hub is None else HubPlace(hub.name, hub.address, hub.lat, hub.lon)


@dataclass(frozen=True)
class OpenShift:
    info: ShiftInfo
    taken: int
    started: bool = False

    @property
    def free(self) -> int:
        return max(0, self.info.capacity - self.taken)


async def next_shifts(
    session: AsyncSession,
    project: Project,
    now: datetime,
    limit: int = 5,
    recent: timedelta = timedelta(0),
    *,
    offered_in: ZoneInfo | None = None,
) -> list[OpenShift]:
    """Shifts still to start; with `recent`, also those that ended within it (for tutors,
    who mark attendance afterwards). With `offered_in` (the programme's zone), only those
    open to sign-ups: none on a day its hub is closed."""
    # A few more than shown, so that shifts on closed days leave no gap.
    rows = await repo.upcoming_shifts(session, project.id, now, limit * 2, now - recent)
    if offered_in is not None:
        closed = set(await _on_closed_days(session, project, [s for s, _ in rows], offered_in))
        rows = [(shift, taken) for shift, taken in rows if shift.id not in closed]
    return [
        OpenShift(shift_info(shift, project), taken, shift.start_at <= now)
        for shift, taken in rows[:limit]
    ]


async def _on_closed_days(
    session: AsyncSession, project: Project, shifts: Sequence[Shift], zone: ZoneInfo
) -> list[int]:
    """The ids of the shifts that fall, even in part, on a closure day of the project's hub."""
    if project.hub_id is None or not shifts:
        return []
    closures = (await closures_repo.closures_by_hub(session, [project.hub_id])).get(
        project.hub_id, []
    )
    found = []
    for shift in shifts:
        first = shift.start_at.astimezone(zone).date()
        last = (shift.end_at.astimezone(zone) - timedelta(microseconds=1)).date()
        if any(c.first_day <= max(first, last) and c.last_day >= first for c in closures):
            found.append(shift.id)
    return found


async def tell_about_catalog_changes(
    session: AsyncSession,
    *,
    changed: Sequence[int],
    cancelled: Sequence[int],
    now: datetime,
    zone: str,
    policy: ReminderPolicy | None = None,
    raised: Sequence[int] = (),
) -> None:
    """A re-imported catalog moved, cancelled or enlarged shifts: their people are told
    (no commit).

    A cancelled shift's places are withdrawn with their reminders; a moved one keeps them,
    its reminders planned again (for the zone's default timing when no `policy` is given);
    the new places of a `raised` shift go to its waitlist, in order, before anyone else.
    """
    policy = policy or ReminderPolicy(zone=ZoneInfo(zone))
    await _tell_holders(session, changed, cancelled, now, zone, policy)
    for shift_id in raised:
        shift = await repo.lock_shift(session, shift_id)
        if shift is None or shift.cancelled or shift.start_at <= now:
            continue
        info = shift_info(shift, await repo.project_of(session, shift))
        promoted = await _fill_places(session, shift, info, now, zone, policy)
        await _tell_tutors(session, shift, info, now, zone, [("promoted", p) for p in promoted])


async def _tell_holders(
    session: AsyncSession,
    changed: Sequence[int],
    cancelled: Sequence[int],
    now: datetime,
    zone: str,
    policy: ReminderPolicy,
) -> None:
    for shift_id, kind in [(i, "cancelled") for i in cancelled] + [(i, "changed") for i in changed]:
        shift = await repo.get_shift(session, shift_id)
        if shift is None:
            continue
        params = await reminders.place_params(
            session, shift, await repo.project_of(session, shift), zone
        )
        for signup in await repo.holders(session, shift_id):
            if kind == "cancelled":
                signup.status, signup.updated_at = SignupStatus.WITHDRAWN, now
                await reminders.withdraw_place(session, shift_id, signup.telegram_id)
            elif signup.status == SignupStatus.CONFIRMED:
                await reminders.replan_place(session, shift, signup.telegram_id, now, policy)
            notice = shift_notices.CANCELLED if kind == "cancelled" else shift_notices.CHANGED
            await notice.queue(
                session,
                notice.key(shift_id, signup.telegram_id, shift.start_at, shift.end_at),
                recipient_id=signup.telegram_id,
                params=params,
                now=now,
            )
