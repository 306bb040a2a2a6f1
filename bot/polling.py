"""Long polling that confirms an update to Telegram only once it has been handled.

aiogram's own polling confirms updates as soon as they are fetched; here a batch is
handled completely (one user's updates in order, different users at once) before the
next getUpdates confirms it, so a stop or a crash never loses an update.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import Update

from bot.monitor import PollingMonitor

log = logging.getLogger(__name__)
_MAX_BACKOFF = 30.0


class Poller:
    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        monitor: PollingMonitor,
        *,
        timeout: int,
        concurrency: int = 8,
        **context: Any,
    ) -> None:
        self._bot = bot
        self._dp = dispatcher
        self._monitor = monitor
        self._timeout = timeout
        self._context = context
        self._offset: int | None = None
        # Each update holds a database connection or two: fewer at once than the pool has.
        self._slots = asyncio.Semaphore(concurrency)

    async def run(self, stop: asyncio.Event) -> None:
        """Polls until `stop` is set; the batch in hand is always finished first."""
        allowed = self._dp.resolve_used_update_types()
        delay = 0.5
        while not stop.is_set():
            try:
                updates = await self._fetch(stop, allowed)
            except TelegramUnauthorizedError:
                raise
            except Exception as error:
                log.error("getUpdates failed: %s: %s", type(error).__name__, error)
                await _sleep_or_stop(stop, delay)
                delay = min(delay * 2, _MAX_BACKOFF)
                continue
            delay = 0.5
            if updates is None:
                break
            self._monitor.touch()
            if updates:
                await self.handle_batch(updates)
                self._offset = updates[-1].update_id + 1
        await self._confirm()

    async def _fetch(self, stop: asyncio.Event, allowed: list[str]) -> list[Update] | None:
        fetch = asyncio.ensure_future(
            self._bot.get_updates(
                offset=self._offset,
                timeout=self._timeout,
                allowed_updates=allowed,
                request_timeout=self._timeout + 30,
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if fetch.done():
            return fetch.result()
        # Updates fetched by a cancelled call were not confirmed: Telegram sends them again.
        fetch.cancel()
        return None

    async def _confirm(self) -> None:
        if self._offset is None:
            return
        try:
            await self._bot.get_updates(offset=self._offset, timeout=0, limit=1)
        except Exception as error:
            log.warning("could not confirm the last updates: %s", error)

    async def handle_batch(self, updates: list[Update]) -> None:
        queues: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            queues[_sender_key(update)].append(update)
        await asyncio.gather(*(self._handle_in_order(queue) for queue in queues.values()))

    async def _handle_in_order(self, updates: list[Update]) -> None:
        for update in updates:
            async with self._slots:
                try:
                    await self._dp.feed_update(self._bot, update, **self._context)
                except Exception:
                    log.exception("update %s was not handled", update.update_id)


def _sender_key(update: Update) -> int:
    event = update.event
    user = getattr(event, "from_user", None)
    if user is not None:
        return int(user.id)
    chat = getattr(event, "chat", None)
    return int(chat.id) if chat is not None else update.update_id


async def _sleep_or_stop(stop: asyncio.Event, delay: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), delay)
    except TimeoutError:
        return
