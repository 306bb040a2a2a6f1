"""What people hear when a catalog import adds, moves or cancels a greenway event.

A new event tells the followers of its greenway (not urgent: it waits out quiet hours);
a moved or cancelled one tells everyone who said they will come (urgent), and their
reminders are withdrawn, and planned again for the new time after a move. Everything is
queued in the import's transaction, so the notices exist exactly when the change does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import events as event_notices
from bot.services.events import reminders as event_reminders
from bot.services.events.info import EventInfo, event_info
from bot.services.events.reminders import notice_params
from bot.services.volunteering import reminder_times
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.repositories import events as repo


async def tell_about_catalog_changes(
    session: AsyncSession,
    *,
    new: Sequence[int],
    rescheduled: Sequence[int],
    cancelled: Sequence[int],
    now: datetime,
    policy: ReminderPolicy,
) -> None:
    """Queues the notices of an import's event changes (no commit)."""
    for event_id in new:
        if (event := await _event(session, event_id)) is not None:
            await _tell_followers(session, event, now, policy)
    for event_id in rescheduled:
        if (event := await _event(session, event_id)) is not None:
            await _tell_rsvps(session, event, "changed", now, policy)
    for event_id in cancelled:
        if (event := await _event(session, event_id)) is not None:
            await _tell_rsvps(session, event, "cancelled", now, policy)


async def _event(session: AsyncSession, event_id: int) -> EventInfo | None:
    found = await repo.event_with_greenway(session, event_id)
    return event_info(found[0], found[1], going=False) if found is not None else None


async def _tell_followers(
    session: AsyncSession, event: EventInfo, now: datetime, policy: ReminderPolicy
) -> None:
    if event.start_at <= now:
        return
    due_at = reminder_times.defer_out_of_quiet_hours(now, policy.quiet_hours, policy.zone)
    for telegram_id in await repo.greenway_audience(session, event.greenway_id):
        await event_notices.NEW.queue(
            session,
            event_notices.NEW.key(event.id, telegram_id),
            recipient_id=telegram_id,
            params=notice_params(event, policy.zone),
            due_at=due_at,
            now=now,
        )


async def _tell_rsvps(
    session: AsyncSession, event: EventInfo, kind: str, now: datetime, policy: ReminderPolicy
) -> None:
    if event.end_at <= now:
        return  # nobody needs to hear that a past event changed
    for telegram_id in await repo.rsvp_holders(session, event.id):
        reason = (
            event_reminders.EVENT_CANCELLED if kind == "cancelled" else event_reminders.REPLANNED
        )
        await event_reminders.withdraw(session, event.id, telegram_id, reason)
        notice = event_notices.CANCELLED if kind == "cancelled" else event_notices.CHANGED
        await notice.queue(
            session,
            notice.key(event.id, telegram_id, now),
            recipient_id=telegram_id,
            params=notice_params(event, policy.zone),
            now=now,
        )
        if kind == "changed":
            await event_reminders.plan_for_user(session, event, telegram_id, now, policy)
