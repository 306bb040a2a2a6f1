"""Long polling that confirms an update to Telegram only once it has been handled.

aiogram's own polling confirms updates as soon as they are fetched. Here the offset given
to getUpdates never passes the oldest update still being handled, so a stop or a crash
never loses one. Fetching does not wait for a batch to finish: while a few updates are in
hand, the next call asks again from the oldest of them, and the ones already in hand that
Telegram sends again are skipped. One user's updates are handled in order, different
users' at once (bot/runtime/ordering.py).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import Update

from bot.runtime.monitor import PollingMonitor
from bot.runtime.ordering import InOrder

log = logging.getLogger(__name__)
_MAX_BACKOFF = 30.0
# While updates are in hand, newer ones are asked for at most this often (seconds): each
# call brings back the ones in hand too.
_GATHER = 0.02


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
        self._next: int | None = None  # the update id after the newest one fetched
        self._in_hand: dict[int, asyncio.Task[None]] = {}  # by update id, fetched not done
        self._progress = asyncio.Event()
        # Each update holds a database connection or two: fewer at once than the pool has.
        self._order = InOrder(self._feed, concurrency)
        # Enough in hand to keep every slot busy; more would only be sent again and again.
        self._enough = 2 * concurrency

    async def run(self, stop: asyncio.Event) -> None:
        """Polls until `stop` is set; the updates in hand are always finished first."""
        allowed = self._dp.resolve_used_update_types()
        delay = 0.5
        try:
            while not stop.is_set():
                await self._let_some_finish(stop)
                if stop.is_set():
                    break
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
                self.start(updates)
        finally:
            await self.finish()
        await self._confirm()

    def _offset(self) -> int | None:
        return min(self._in_hand) if self._in_hand else self._next

    async def _fetch(self, stop: asyncio.Event, allowed: list[str]) -> list[Update] | None:
        fetch = asyncio.ensure_future(
            self._bot.get_updates(
                offset=self._offset(),
                # With updates in hand Telegram answers at once anyway.
                timeout=0 if self._in_hand else self._timeout,
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

    def start(self, updates: list[Update]) -> int:
        """Starts handling the updates not seen before; returns how many there were."""
        fresh = [u for u in updates if self._next is None or u.update_id >= self._next]
        for update in fresh:
            task = self._order.submit(update)
            self._in_hand[update.update_id] = task
            task.add_done_callback(functools.partial(self._done, update.update_id))
        if fresh:
            self._next = fresh[-1].update_id + 1
        return len(fresh)

    def _done(self, update_id: int, _: asyncio.Task[None]) -> None:
        del self._in_hand[update_id]
        self._progress.set()

    async def _let_some_finish(self, stop: asyncio.Event) -> None:
        """With updates in hand, Telegram would send them again at once: before asking
        again, wait until they are done, or for `_GATHER` while fewer than enough remain."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _GATHER
        while self._in_hand and not stop.is_set():
            if len(self._in_hand) >= self._enough:
                await self._some_progress(stop, within=None)
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            await self._some_progress(stop, within=remaining)

    async def _some_progress(self, stop: asyncio.Event, *, within: float | None) -> None:
        self._progress.clear()
        waits = {asyncio.ensure_future(self._progress.wait())}
        waits.add(asyncio.ensure_future(stop.wait()))
        _, pending = await asyncio.wait(waits, timeout=within, return_when="FIRST_COMPLETED")
        for waiting in pending:
            waiting.cancel()

    async def finish(self) -> None:
        """Waits for every update in hand."""
        if self._in_hand:
            await asyncio.wait(set(self._in_hand.values()))

    async def handle_batch(self, updates: list[Update]) -> None:
        self.start(updates)
        await self.finish()

    async def _feed(self, update: Update) -> None:
        try:
            await self._dp.feed_update(self._bot, update, **self._context)
        except Exception:
            log.exception("update %s was not handled", update.update_id)

    async def _confirm(self) -> None:
        if self._next is None:
            return
        try:
            await self._bot.get_updates(offset=self._next, timeout=0, limit=1)
        except Exception as error:
            log.warning("could not confirm the last updates: %s", error)


async def _sleep_or_stop(stop: asyncio.Event, delay: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), delay)
    except TimeoutError:
        return
