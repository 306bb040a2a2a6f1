"""Reminders of the events a user said they will come to, planned through the outbox.

A reminder's key holds the event's start, so a moved event gets new reminders. A withdrawn
row keeps its key: a plan that comes back to the same key (an RSVP given again, a restored
event, an offset switched off and on) revives that row instead, and a reminder already
sent is never sent again. All of one user's reminders of one event are one family
(`REMINDER` in bot/notices/events.py), which is how they are withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.events import REMINDER
from bot.services.events.info import EventInfo, event_info
from bot.services.volunteering import reminder_times
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.repositories import events as events_repo
from storage.repositories import users as users_repo

if TYPE_CHECKING:
    from datetime import datetime


# Why reminders were withdrawn; planned again with the same key, such a row comes back.
NOT_COMING, REPLANNED, EVENT_CANCELLED = "no longer coming", "planned again", "event cancelled"
_REVIVABLE = (NOT_COMING, REPLANNED, EVENT_CANCELLED)


def notice_params(event: EventInfo, zone: ZoneInfo) -> dict[str, Any]:
    """What every event notice shows, as plain data rendered in the recipient's language."""
    return {
        "event_id": event.id,
        "title": event.title,
        "greenway": event.greenway_name,
        "start": event.start_at.isoformat(),
        "end": event.end_at.isoformat(),
        "place": event.place,
        "lat": event.lat,
        "lon": event.lon,
        "zone": str(zone),
    }


async def plan(
    session: AsyncSession,
    event: EventInfo,
    telegram_id: int,
    offsets: Sequence[timedelta],
    now: datetime,
    policy: ReminderPolicy,
) -> int:
    """Queues the reminders still ahead (no commit); returns how many were queued."""
    queued = 0
    params = notice_params(event, policy.zone)
    planned = reminder_times.reminder_times(
        event.start_at, offsets, now=now, quiet=policy.quiet_hours, zone=policy.zone
    )
    for reminder in planned:
        queued += await REMINDER.queue(
            session,
            REMINDER.key(event.id, telegram_id, reminder.offset, event.start_at),
            recipient_id=telegram_id,
            params=params,
            due_at=reminder.due_at,
            now=now,
            revivable=_REVIVABLE,
        )
    return queued


async def plan_for_user(
    session: AsyncSession, event: EventInfo, telegram_id: int, now: datetime, policy: ReminderPolicy
) -> int:
    """Plans the reminders at the offsets the user chose in /settings (no commit)."""
    user = await users_repo.get_user(session, telegram_id)
    chosen = user.reminder_offsets if user is not None else None
    return await plan(session, event, telegram_id, policy.wanted(chosen), now, policy)


async def withdraw(
    session: AsyncSession, event_id: int, telegram_id: int, reason: str = NOT_COMING
) -> int:
    """Withdraws the pending reminders of one user for one event (no commit)."""
    return await REMINDER.withdraw(
        session, prefixes=REMINDER.family(event_id, telegram_id), reason=reason
    )


async def replan_for_user(
    session: AsyncSession, telegram_id: int, now: datetime, policy: ReminderPolicy
) -> int:
    """After the user chose other offsets: their upcoming events' reminders anew (no commit)."""
    queued = 0
    for event, greenway in await events_repo.upcoming_rsvps(session, telegram_id, now):
        info = event_info(event, greenway, going=True)
        await withdraw(session, event.id, telegram_id, REPLANNED)
        queued += await plan_for_user(session, info, telegram_id, now, policy)
    return queued
