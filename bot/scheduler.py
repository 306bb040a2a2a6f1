"""The scheduler only ticks: due times live in the database, never in pickled jobs."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox import OutboxSender
from bot.settings import Settings


def create_scheduler(settings: Settings, sender: OutboxSender) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    scheduler.add_job(
        sender.tick,
        IntervalTrigger(seconds=settings.outbox_tick, timezone=settings.timezone),
        id="outbox-tick",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    return scheduler
