"""`quartiere-bot send`: a process that only sends the outbox, without aiogram.

It runs the outbox tick and the sender (bot/outbox/sender.py) over a small HTTP client
(bot/outbox/bot_api.py), so it stays a fraction of the bot's size; `run` with
OUTBOX_SENDER=separate leaves the sending to it. Claims in the database keep two senders
from sending one delivery twice, so several of these may run at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, clock_from
from bot.notices import RENDERERS
from bot.outbox.bot_api import TelegramError, TelegramHttp, Unauthorized
from bot.outbox.sender import OutboxSender
from bot.runtime.lifecycle import running_process
from bot.runtime.scheduler import add_outbox_tick, create_sender_scheduler
from bot.settings import Settings

log = logging.getLogger(__name__)


def create_telegram(settings: Settings) -> TelegramHttp:
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    return TelegramHttp(settings.telegram_api_url, settings.bot_token.get_secret_value())


@contextlib.asynccontextmanager
async def running_sender(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    settings: Settings,
    scheduler: AsyncIOScheduler | None = None,
    on_unauthorized: Callable[[], None] | None = None,
) -> AsyncIterator[OutboxSender]:
    """The sender and its tick; on exit, the sends in flight finish and the rest goes back.

    Given a scheduler (the bot's), the tick joins it and the caller starts and shuts it
    down; otherwise the sender gets a scheduler of its own.
    """
    telegram = create_telegram(settings)
    sender = OutboxSender(telegram, sessions, clock, settings, RENDERERS, on_unauthorized)
    own = scheduler is None
    if scheduler is None:
        scheduler = create_sender_scheduler(settings, sender, sessions, clock)
    else:
        add_outbox_tick(scheduler, sender, settings)
    sender.start()
    if own:
        scheduler.start()
    try:
        yield sender
    finally:
        if own:
            scheduler.shutdown(wait=False)
        await sender.stop()
        await telegram.close()


async def run_sender(settings: Settings) -> int:
    """Migrates, then sends until SIGTERM/SIGINT; returns the exit code (2: token refused)."""
    async with running_process(settings.database_url) as process:
        if await _token_refused(settings):
            process.refuse_token()
        else:
            clock = clock_from(settings.clock_file)
            sender = running_sender(
                process.sessions, clock, settings, on_unauthorized=process.refuse_token
            )
            async with sender:
                log.info("sending the outbox")
                await process.stop.wait()
    return process.exit_code()


async def _token_refused(settings: Settings) -> bool:
    """Asks Telegram who the bot is, so a wrong token stops the process at once."""
    async with create_telegram(settings) as telegram:
        try:
            me = await telegram.call("getMe", {})
        except Unauthorized:
            return True
        except TelegramError as error:  # the sender's own retries take it from here
            log.warning("getMe failed: %s", error)
            return False
    log.info("sending as @%s", me.get("username"))
    return False
