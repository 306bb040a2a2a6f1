"""Telegram's flood limits for sending messages, with a clock the tests can drive.

Telegram allows about one message per second in a chat and about thirty per second overall;
beyond that it answers 429 "Too Many Requests: retry after N". Both limits are sliding windows
here: a rate of R messages per second allows ``R * W`` sends in any window of ``W`` seconds
(``W`` is one second, or ``1 / R`` for rates below one).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable

TELEGRAM_GLOBAL_RATE = 30.0
TELEGRAM_PER_CHAT_RATE = 1.0


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


class RateLimiter:
    """Counts sends globally and per chat; disabled when both rates are None."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
    ) -> None:
        for rate in (global_rate, per_chat_rate):
            if rate is not None and rate <= 0:
                raise ValueError("rates must be positive")
        self._clock = clock
        self._global = _Window(global_rate) if global_rate is not None else None
        self._per_chat_rate = per_chat_rate
        self._chats: dict[Hashable, _Window] = {}

    def retry_after(self, chat: Hashable) -> int | None:
        """Seconds to wait before a send to ``chat`` is allowed, or None if it is allowed now."""
        now = self._clock()
        waits = [window.retry_after(now) for window in self._windows(chat)]
        found = [wait for wait in waits if wait is not None]
        return max(found) if found else None

    def record(self, chat: Hashable) -> None:
        now = self._clock()
        for window in self._windows(chat):
            window.sent.append(now)

    def _windows(self, chat: Hashable) -> list[_Window]:
        windows = [self._global] if self._global is not None else []
        if self._per_chat_rate is not None:
            if chat not in self._chats:
                self._chats[chat] = _Window(self._per_chat_rate)
            windows.append(self._chats[chat])
        return windows
