"""A change notification that synchronous code can fire and coroutines can wait on.

The emulator's test-facing actions (``user_sends_text``...) are synchronous, so an
``asyncio.Condition`` (whose ``notify`` needs its lock) does not fit. Waiters park on futures
that ``notify`` resolves; nothing polls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class ChangeSignal:
    """Wake every waiter whenever the emulator's state changes."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # A timeout here is a result (False), as for a long poll, not an error: hence the parameter.
    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float | None,  # noqa: ASYNC109
    ) -> bool:
        """Wait until ``predicate()`` is true; False if ``timeout`` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait({waiter}, timeout=remaining)
            finally:
                self._waiters.discard(waiter)
                waiter.cancel()
        return True
