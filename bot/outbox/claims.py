"""The claims one sender holds, kept its own by a heartbeat, and the outcomes it still owes.

Each start of a sender is a worker of its own: host:pid plus a random suffix, because a
restarted container keeps its host name and its PID 1 but must never be taken for the
process that held the claims before it. Every quarter of OUTBOX_LEASE the sender renews the
claims it holds in memory; a claim left unrenewed for OUTBOX_LEASE is taken over by the next
sender to claim (the restarted one or another), so a dead sender's deliveries are claimed
again within OUTBOX_LEASE + OUTBOX_TICK of its death, while a live sender's backlog, however
old, stays its own. An outcome whose write failed is kept, still held and renewed, and
written again at each heartbeat; a row the sender no longer holds expires and comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.outbox import queue as outbox
from bot.settings import Settings

log = logging.getLogger(__name__)
# Writes the outcome of one delivery and commits.
Outcome = Callable[[AsyncSession], Awaitable[None]]
# What a failed renewal raises: the driver's errors, or the connection's.
DATABASE_ERRORS = (SQLAlchemyError, OSError)


def worker_id(host_pid: str | None = None) -> str:
    """Who claims (`claimed_by`, 64 characters): the host and process, and this start."""
    base = host_pid or f"{socket.gethostname()}:{os.getpid()}"
    return f"{base[:55]}:{secrets.token_hex(4)}"


class Claims:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, settings: Settings
    ) -> None:
        self.worker = worker_id(settings.outbox_host_pid)
        self._sessions = sessions
        self._clock = clock
        self._lease = settings.outbox_lease.total_seconds()
        self._held: set[int] = set()
        self._owed: dict[int, Outcome] = {}
        self._renewed_at = time.monotonic()
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def interval(self) -> float:
        """Seconds between two renewals: a claim survives three missed ones."""
        return self._lease / 4

    def holds(self, delivery_id: int) -> bool:
        return delivery_id in self._held

    def hold(self, delivery_id: int) -> None:
        self._held.add(delivery_id)

    def let_go(self, delivery_ids: Iterable[int]) -> None:
        for delivery_id in delivery_ids:
            self._held.discard(delivery_id)
            self._owed.pop(delivery_id, None)

    def safe_to_send(self) -> bool:
        """False once renewals have failed for half a lease: the claims may soon pass on."""
        return time.monotonic() - self._renewed_at < self._lease / 2

    async def settle(self, delivery_id: int, outcome: Outcome) -> None:
        """Writes a delivery's outcome and lets it go; a failed write waits for the next beat."""
        try:
            async with self._sessions() as session:
                await outcome(session)
        # Whatever the error, letting go would send the delivery again: keep trying instead.
        except Exception:
            log.exception(
                "delivery %s: its outcome could not be written, trying again", delivery_id
            )
            if delivery_id in self._held:
                self._owed[delivery_id] = outcome
            return
        self.let_go([delivery_id])

    async def beat(self) -> set[int]:
        """Writes the owed outcomes and renews the rest; returns the held ids now lost."""
        for delivery_id, outcome in list(self._owed.items()):
            await self.settle(delivery_id, outcome)
        held, began = sorted(self._held), time.monotonic()
        try:
            async with self._sessions() as session:
                kept = await outbox.renew(session, held, worker=self.worker, now=self._clock.now())
        except DATABASE_ERRORS:
            log.warning("the outbox claims could not be renewed", exc_info=True)
            return set()
        self._renewed_at = began
        # Settled meanwhile, or taken over after a renewal came too late: no longer ours.
        lost = (set(held) - kept) & self._held
        self.let_go(lost)
        return lost

    def start(self, on_lost: Callable[[set[int]], None]) -> None:
        self._heartbeat = asyncio.create_task(self._keep_alive(on_lost))

    async def _keep_alive(self, on_lost: Callable[[set[int]], None]) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval)
            if self._stopping.is_set():
                return
            try:
                lost = await self.beat()
            except Exception:
                log.exception("outbox heartbeat failed")
                continue
            if lost:
                log.warning("%d claimed deliveries are no longer this sender's", len(lost))
                on_lost(lost)

    async def stop(self) -> None:
        """Stops renewing, then writes what is still owed one last time."""
        if self._heartbeat is not None:
            # A beat under way finishes: cut short, its database call would outlive the loop.
            self._stopping.set()
            await self._heartbeat
        for delivery_id, outcome in list(self._owed.items()):
            await self.settle(delivery_id, outcome)
        if self._owed:
            log.error(
                "%d outcomes could not be written: those deliveries go out again once their "
                "claims expire",
                len(self._owed),
            )
