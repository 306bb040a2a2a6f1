"""The one sender of everything the bot says on its own initiative (without aiogram).

Deliveries come from the outbox table (claimed by `tick`) and leave at most
`BROADCAST_RATE` a second overall and one every `PER_CHAT_INTERVAL` per chat, most
urgent first. A 429 pauses every send for `retry_after`; a 403 marks the user unreachable;
5xx and timeouts are retried with backoff up to `OUTBOX_MAX_ATTEMPTS`; anything else fails
with its reason recorded; a 401 (a revoked token) stops the sending and tells the process.
The sender owns the cancellation of an announcement: it reads it from the database at
each claim (dropping what it holds of it) and again just before each send of it.
Each outcome is committed as soon as it is known, so a restart sends every delivery
exactly once and a crash can only repeat the few in flight; what it claims stays its own
through a heartbeat, and an outcome it could not write is written again (bot/outbox/claims.py).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial

from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.i18n import resolve_locale, use_locale
from bot.outbox import queue as outbox
from bot.outbox.bot_api import (
    Forbidden,
    NetworkError,
    RetryAfter,
    ServerError,
    TelegramHttp,
    Unauthorized,
)
from bot.outbox.claims import Claims, Outcome
from bot.outbox.rendered import Rendered, Renderer
from bot.settings import Settings

log = logging.getLogger(__name__)
PACING_BURST = 4
# How many sends may wait for Telegram at once; enough to keep the rate on a slow network.
MAX_IN_FLIGHT = 32


@dataclass(order=True)
class _Queued:
    priority: int
    delivery_id: int  # queue order within a priority: a claim taken over goes out first
    delivery: outbox.Outgoing = field(compare=False)
    claimed: float = field(compare=False, default_factory=time.monotonic)


class OutboxSender:
    def __init__(
        self,
        telegram: TelegramHttp,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: Settings,
        renderers: Mapping[str, Renderer],
        on_unauthorized: Callable[[], None] | None = None,
    ) -> None:
        self._telegram = telegram
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._renderers = renderers
        # Called on a 401: nothing more is sent, and what was claimed goes back unsent.
        self._on_unauthorized = on_unauthorized
        # Smooth pacing at the rate, plus a hard cap at Telegram's own limit: never more than
        # `_window` requests within any second, counted from when the previous ones were
        # answered. A request arrives after it was sent, so Telegram can never count more
        # than that in its own sliding second, however the network delays them. Counting
        # from the answers makes each slot last a second plus a round trip, so a cap at
        # BROADCAST_RATE itself would hold the sender below the rate it was given.
        # A bucket of a few sends lets a late wake-up be made up at once instead of lost.
        rate = settings.broadcast_rate
        self._limiter = AsyncLimiter(PACING_BURST, PACING_BURST / rate)
        self._window = max(1, math.floor(max(rate, settings.telegram_rate_limit)))
        self._answered: deque[float] = deque()
        self._paced_at = -math.inf
        self._ready: list[_Queued] = []
        self._waiting: list[tuple[float, int, _Queued]] = []  # (not before, seq, item)
        self._chat_free_at: dict[int, float] = {}
        # When each user was found unreachable: deliveries claimed before that are skipped.
        self._unreachable: dict[int, float] = {}
        self._busy: set[int] = set()  # one message at a time per chat keeps them in order
        self._paused_until = 0.0
        self._sequence = itertools.count()
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._stopping = False
        self._claiming = asyncio.Lock()
        self._runner: asyncio.Task[None] | None = None
        self._claims = Claims(sessions, clock, settings)

    @property
    def worker(self) -> str:
        """Who this sender is in `claimed_by`: lets an operator see which process sent what."""
        return self._claims.worker

    @property
    def backlog(self) -> int:
        return len(self._ready) + len(self._waiting) + len(self._in_flight)

    async def tick(self) -> None:
        """Claims due deliveries, keeping a few seconds' worth in memory."""
        if self._stopping or self._claiming.locked():
            return
        # Stopping cancels the scheduler's job; a claim cut short would leave its deliveries
        # claimed but in nobody's memory until the lease ran out.
        await asyncio.shield(self._claim())

    async def _claim(self) -> None:
        async with self._claiming:
            capacity = int(self._settings.broadcast_rate * 4) + 10
            room = capacity - self.backlog
            held = self._held_announcements()
            # A claim that began before a 403 may hold that user's deliveries: they count as
            # claimed when it began, so they are skipped as well.
            began = time.monotonic()
            async with self._sessions() as session:
                claim = await outbox.claim_due(
                    session,
                    now=self._clock.now(),
                    lease=self._settings.outbox_lease,
                    limit=max(room, 0),
                    worker=self.worker,
                    # A dead sender's claims are taken at once, up to a second backlog.
                    takeover=max(room + capacity, 0),
                    held_announcements=held,
                )
            if claim.cancelled_announcements:
                await self._drop_held(claim.cancelled_announcements)
            for delivery in claim.deliveries:
                # Held already when its renewal came late and it expired: it stays queued once.
                if not self._claims.holds(delivery.id):
                    self._claims.hold(delivery.id)
                    self._pause_after_reply(delivery)
                    self._push(delivery, claimed=began)
            if claim.deliveries:
                self._wake.set()

    def _pause_after_reply(self, delivery: outbox.Outgoing) -> None:
        """A chat the bot answered in (from any process) is left alone for PER_CHAT_INTERVAL."""
        if delivery.last_reply_at is None:
            return
        # Real time on both sides: the processes share no monotonic clock.
        wait = delivery.last_reply_at.timestamp() + self._settings.per_chat_interval - time.time()
        if wait > 0:
            chat = delivery.recipient_id
            free_at = time.monotonic() + wait
            self._chat_free_at[chat] = max(self._chat_free_at.get(chat, 0.0), free_at)

    def _held_announcements(self) -> set[int]:
        held = [item.delivery for item in self._ready]
        held += [item.delivery for _, _, item in self._waiting]
        return {d.announcement_id for d in held if d.announcement_id is not None}

    async def _drop_held(self, announcements: set[int]) -> None:
        """Withdraws what this sender holds of the cancelled announcements."""

        dropped = self._take_out(lambda item: item.delivery.announcement_id in announcements)
        # Let go even if the withdrawal fails: the claims expire and the next claim withdraws.
        self._claims.let_go(dropped)
        async with self._sessions() as session:
            await outbox.withdraw_claimed(session, dropped, worker=self.worker)

    def _forget(self, lost: Collection[int]) -> None:
        """Drops the queued deliveries whose claims passed to another sender."""
        self._take_out(lambda item: item.delivery.id in lost)

    def _take_out(self, matches: Callable[[_Queued], bool]) -> list[int]:
        """Removes the queued deliveries that match; returns their ids."""
        taken = [item.delivery.id for item in self._ready if matches(item)]
        taken += [entry[2].delivery.id for entry in self._waiting if matches(entry[2])]
        self._ready = [item for item in self._ready if not matches(item)]
        self._waiting = [entry for entry in self._waiting if not matches(entry[2])]
        heapq.heapify(self._ready)
        heapq.heapify(self._waiting)
        return taken

    def _push(self, delivery: outbox.Outgoing, claimed: float | None = None) -> None:
        # By id, not by arrival: one put back after a 429 stays before its chat's later ones.
        item = _Queued(delivery.priority, delivery.id, delivery)
        if claimed is not None:
            item.claimed = claimed
        heapq.heappush(self._ready, item)

    def start(self) -> None:
        self._runner = asyncio.create_task(self._run())
        self._claims.start(on_lost=self._forget)

    async def _run(self) -> None:
        while not self._stopping:
            self._release_waiting()
            item = self._next_sendable()
            if item is None:
                await self._sleep_until_something_to_do()
                continue
            await self._pace()
            await self._slots.acquire()
            # Checked last, after the waits: a claim may have passed on while pacing.
            if self._stopping or not self._still_ours(item.delivery):
                self._slots.release()
                if self._claims.holds(item.delivery.id):
                    self._push(item.delivery)
                if self._stopping:
                    break
                await self._sleep_until_something_to_do()
                continue
            self._busy.add(item.delivery.recipient_id)
            task = asyncio.create_task(self._send(item.delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    def _still_ours(self, delivery: outbox.Outgoing) -> bool:
        """Held, and renewed recently enough that no other sender can have taken it over."""
        return self._claims.holds(delivery.id) and self._claims.safe_to_send()

    def _next_sendable(self) -> _Queued | None:
        now = time.monotonic()
        while self._ready:
            item = heapq.heappop(self._ready)
            if item.claimed <= self._unreachable.get(item.delivery.recipient_id, -1.0):
                self._claims.let_go([item.delivery.id])  # skipped with the 403 that found it
                continue
            free_at = self._chat_free_at.get(item.delivery.recipient_id, 0.0)
            if item.delivery.recipient_id in self._busy:
                free_at = max(free_at, now + 0.05)
            if free_at <= now:
                return item
            heapq.heappush(self._waiting, (free_at, next(self._sequence), item))
        return None

    def _release_waiting(self) -> None:
        now = time.monotonic()
        while self._waiting and self._waiting[0][0] <= now:
            _, _, item = heapq.heappop(self._waiting)
            heapq.heappush(self._ready, item)

    async def _sleep_until_something_to_do(self) -> None:
        delay = 0.5
        if self._waiting:
            delay = min(delay, max(0.0, self._waiting[0][0] - time.monotonic()))
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        except TimeoutError:
            return

    async def _pace(self) -> None:
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if time.monotonic() - self._paced_at > 1.0:
            # After a quiet second nothing was lost to make up: start at the rate, without a
            # burst, leaving room for what the bot has just sent itself (an admin's replies).
            while self._limiter.has_capacity():
                await self._limiter.acquire()
        await self._limiter.acquire()
        self._paced_at = time.monotonic()
        while True:
            now = time.monotonic()
            while self._answered and self._answered[0] <= now - 1.0:
                self._answered.popleft()
            if len(self._answered) + len(self._in_flight) < self._window:
                return
            wait = self._answered[0] + 1.0 - now if self._answered else 0.005
            await asyncio.sleep(max(wait, 0.001))

    async def _send(self, delivery: outbox.Outgoing) -> None:
        try:
            await self._deliver(delivery)
        except Exception:
            log.exception("delivery %s: unexpected error", delivery.id)
            await self._fail(delivery, "internal error")
        finally:
            self._busy.discard(delivery.recipient_id)
            self._slots.release()
            self._wake.set()

    async def _deliver(self, delivery: outbox.Outgoing) -> None:
        renderer = self._renderers.get(delivery.message_key)
        if renderer is None:
            await self._fail(delivery, f"no renderer for {delivery.message_key}")
            return
        if delivery.announcement_id is not None:
            async with self._sessions() as session:
                if await outbox.withdraw_if_cancelled(session, delivery, worker=self.worker):
                    self._claims.let_go([delivery.id])
                    return
        rendered = self._render(renderer, delivery)
        try:
            message_id = await self._call(delivery.recipient_id, rendered)
        except RetryAfter as error:
            self._paused_until = max(self._paused_until, time.monotonic() + error.retry_after)
            log.warning("Telegram asked to slow down for %s s", error.retry_after)
            self._push(delivery)
        except Unauthorized:
            self._push(delivery)  # handed back by stop(), sent once the token is right
            if not self._stopping:
                self._stopping = True
                self._wake.set()
                if self._on_unauthorized is not None:
                    self._on_unauthorized()
        except Forbidden:
            self._unreachable[delivery.recipient_id] = time.monotonic()
            await self._settle(
                delivery,
                partial(
                    outbox.record_unreachable,
                    recipient_id=delivery.recipient_id,
                    now=self._clock.now(),
                ),
            )
        except (ServerError, NetworkError) as error:
            await self._retry_or_fail(delivery, str(error))
        except Exception as error:
            await self._fail(delivery, str(error))
        else:
            await self._settle(
                delivery,
                partial(
                    outbox.record_sent,
                    delivery_id=delivery.id,
                    worker=self.worker,
                    now=self._clock.now(),
                    message_id=message_id,
                ),
            )

    async def _call(self, chat: int, rendered: Rendered) -> int:
        try:
            if rendered.edit_message_id is not None:
                return await self._telegram.edit_message_text(
                    chat, rendered.edit_message_id, rendered.text, rendered.reply_markup
                )
            if rendered.photo is not None:
                return await self._telegram.send_photo(
                    chat, rendered.photo, rendered.text or None, rendered.reply_markup
                )
            return await self._telegram.send_message(chat, rendered.text, rendered.reply_markup)
        finally:
            answered = time.monotonic()
            self._answered.append(answered)
            # The next message to this chat waits a full interval after this one arrived.
            self._chat_free_at[chat] = answered + self._settings.per_chat_interval

    def _render(self, renderer: Renderer, delivery: outbox.Outgoing) -> Rendered:
        locale = resolve_locale(
            delivery.chosen_locale, delivery.telegram_locale, self._settings.default_locale
        )
        with use_locale(locale, self._settings.default_locale, now=self._clock.now()):
            return renderer(delivery.params)

    async def _retry_or_fail(self, delivery: outbox.Outgoing, error: str) -> None:
        if delivery.attempts + 1 >= self._settings.outbox_max_attempts:
            await self._fail(delivery, error)
            return
        delay = self._settings.outbox_retry_base * (2**delivery.attempts)
        retry = partial(
            outbox.record_retry,
            delivery=delivery,
            worker=self.worker,
            due_at=self._clock.now() + delay,
            error=error,
        )
        await self._settle(delivery, retry)

    async def _fail(self, delivery: outbox.Outgoing, error: str) -> None:
        failure = partial(outbox.record_failure, delivery=delivery, worker=self.worker, error=error)
        await self._settle(delivery, failure)

    async def _settle(self, delivery: outbox.Outgoing, outcome: Outcome) -> None:
        """Writes the outcome, or keeps it (and the claim) until it can be written."""
        await self._claims.settle(delivery.id, outcome)

    async def stop(self) -> None:
        """Finishes the sends in flight and hands back what was claimed but not sent."""
        self._stopping = True
        self._wake.set()
        if self._runner is not None:
            await self._runner
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=30)
        async with self._claiming:  # a claim under way ends in memory, then is handed back
            pass
        unsent = self._take_out(lambda item: True)
        self._claims.let_go(unsent)
        try:
            async with self._sessions() as session:
                await outbox.release(session, unsent, worker=self.worker)
        finally:
            await self._claims.stop()
