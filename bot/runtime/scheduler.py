"""The scheduler only ticks: due times live in the database, never in pickled jobs.

`quartiere-bot send` schedules only the outbox tick (`create_sender_scheduler`); `run`
schedules the rest, and adds the tick (`add_outbox_tick`) unless OUTBOX_SENDER=separate.
One cron job queues the Monday digest of greenway events; what it queues is keyed by the
ISO week, so a restart or a second process never doubles it. The progress messages of
announcements, when given, are refreshed every few seconds. A nightly job removes what
has outlived its retention period (bot/services/people/retention.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.outbox.sender import OutboxSender
from bot.services.events.digest import queue_weekly_digest
from bot.services.people.retention import purge_expired
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.settings import Settings

log = logging.getLogger(__name__)

# A digest queued up to an hour late (a busy or restarting process) is still worth sending.
DIGEST_GRACE_SECONDS = 3600


def add_outbox_tick(scheduler: AsyncIOScheduler, sender: OutboxSender, settings: Settings) -> None:
    _every(scheduler, settings.outbox_tick, sender.tick, "outbox-tick", settings)


def _every(
    scheduler: AsyncIOScheduler,
    seconds: float,
    job: Callable[[], Awaitable[None]],
    job_id: str,
    settings: Settings,
) -> None:
    """A frequent job: a late run is not made up, and one never overlaps the next."""
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone=settings.timezone),
        id=job_id,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )


def create_sender_scheduler(settings: Settings, sender: OutboxSender) -> AsyncIOScheduler:
    """The outbox tick alone."""
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    add_outbox_tick(scheduler, sender, settings)
    return scheduler


def create_scheduler(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    announcement_progress: Callable[[], Awaitable[None]] | None = None,
    progress_every: float = 3.0,
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    if announcement_progress is not None:
        _every(scheduler, progress_every, announcement_progress, "announcement-progress", settings)
    policy = ReminderPolicy.from_settings(settings)

    async def weekly_digest() -> None:
        async with sessions() as session:
            await queue_weekly_digest(session, clock.now(), policy)

    scheduler.add_job(
        weekly_digest,
        CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=settings.timezone),
        id="events-weekly-digest",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=DIGEST_GRACE_SECONDS,
    )

    async def retention() -> None:
        async with sessions() as session:
            purged = await purge_expired(session, clock.now())
        log.info("retention: %s", purged)

    scheduler.add_job(
        retention,
        CronTrigger(hour=3, minute=30, timezone=settings.timezone),
        id="privacy-retention",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    return scheduler
