"""The Monday digest: the week's greenway events, for the users who opted in.

Each reader gets the events of the greenways they follow (every greenway when they follow
all of them, or none in particular). The key holds the ISO week, so a restart or a
second process running the job the same week never queues a digest twice; a reader with
nothing to read that week gets nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.events import DIGEST
from bot.services.events.info import event_info
from bot.services.events.reminders import notice_params
from bot.services.volunteering import reminder_times
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.repositories import events as repo

# Enough for a busy week while keeping the message well within Telegram's limit.
DIGEST_LIMIT = 15


def week_of(now: datetime, policy: ReminderPolicy) -> tuple[str, datetime]:
    """The local ISO week of `now` ("2026-W49") and when it ends (next Monday, 00:00 local)."""
    local = now.astimezone(policy.zone)
    year, week, weekday = local.isocalendar()
    monday = datetime.combine(local.date() - timedelta(days=weekday - 1), datetime.min.time())
    end = (monday + timedelta(days=7)).replace(tzinfo=policy.zone)
    return f"{year}-W{week:02d}", end


async def queue_weekly_digest(session: AsyncSession, now: datetime, policy: ReminderPolicy) -> int:
    """Queues this week's digests and commits; returns how many were queued."""
    week, end = week_of(now, policy)
    events = await repo.events_starting_between(session, now, end)
    if not events:
        return 0
    subscriptions = await repo.digest_subscriptions(session)
    due_at = reminder_times.defer_out_of_quiet_hours(now, policy.quiet_hours, policy.zone)
    queued = 0
    for telegram_id, every in await repo.digest_readers(session):
        followed = subscriptions.get(telegram_id)
        mine = [
            notice_params(event_info(event, greenway, going=False), policy.zone)
            for event, greenway in events
            if every or not followed or event.greenway_id in followed
        ]
        if not mine:
            continue
        queued += await DIGEST.queue(
            session,
            DIGEST.key(week, telegram_id),
            recipient_id=telegram_id,
            params={
                "events": mine[:DIGEST_LIMIT],
                "more": max(0, len(mine) - DIGEST_LIMIT),
                "zone": str(policy.zone),
            },
            due_at=due_at,
            now=now,
        )
    await session.commit()
    return queued
