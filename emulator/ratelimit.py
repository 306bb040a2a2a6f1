"""Telegram's flood limits for sending messages, with a clock the tests can drive.

Telegram allows about one message per second in a chat, after a short burst, and about
thirty per second overall; beyond that it answers 429 "Too Many Requests: retry after N".
The overall limit is a sliding window: a rate of R messages per second allows ``R * W`` sends
in any window of ``W`` seconds (``W`` is one second, or ``1 / R`` for rates below one). The
per-chat limit is a bucket: ``burst`` messages at once, then one every ``1 / R`` seconds.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable

TELEGRAM_GLOBAL_RATE = 30.0
TELEGRAM_PER_CHAT_RATE = 1.0
TELEGRAM_PER_CHAT_BURST = 3


class _Window:
    def __init__(self, rate: float) -> None:
        self.span = 1.0 if rate >= 1 else 1.0 / rate
        self.capacity = max(1, math.floor(rate * self.span + 1e-9))
        self.sent: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        while self.sent and self.sent[0] <= now - self.span:
            self.sent.popleft()
        if len(self.sent) < self.capacity:
            return None
        return max(1, math.ceil(self.sent[0] + self.span - now))


class _Bucket:
    """`burst` sends at once, refilled at `rate` a second."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def retry_after(self, now: float) -> int | None:
        self._refill(now)
        if self.tokens >= 1 - 1e-9:
            return None
        return max(1, math.ceil((1 - self.tokens) / self.rate - 1e-9))

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class RateLimiter:
    """Counts sends globally and per chat; disabled when both rates are None."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
        per_chat_burst: int = TELEGRAM_PER_CHAT_BURST,
    ) -> None:
        for rate in (global_rate, per_chat_rate):
            if rate is not None and rate <= 0:
                raise ValueError("rates must be positive")
        if per_chat_burst < 1:
            raise ValueError("a burst is at least one message")
        self._clock = clock
        self._global = _Window(global_rate) if global_rate is not None else None
        self._per_chat_rate = per_chat_rate
        self._per_chat_burst = per_chat_burst
        self._chats: dict[Hashable, _Bucket] = {}

    def retry_after(self, chat: Hashable) -> int | None:
        """Seconds to wait before a send to ``chat`` is allowed, or None if it is allowed now."""
        now = self._clock()
        waits = [self._global.retry_after(now)] if self._global is not None else []
        bucket = self._bucket(chat, now)
        if bucket is not None:
            waits.append(bucket.retry_after(now))
        found = [wait for wait in waits if wait is not None]
        return max(found) if found else None

    def record(self, chat: Hashable) -> None:
        now = self._clock()
        if self._global is not None:
            self._global.sent.append(now)
        bucket = self._bucket(chat, now)
        if bucket is not None:
            bucket.take(now)

    def _bucket(self, chat: Hashable, now: float) -> _Bucket | None:
        if self._per_chat_rate is None:
            return None
        if chat not in self._chats:
            self._chats[chat] = _Bucket(self._per_chat_rate, self._per_chat_burst, now)
        return self._chats[chat]
