"""Liveness of the update source, as seen by /healthz."""

from __future__ import annotations

import time


class PollingMonitor:
    """Remembers when the bot last talked to Telegram for updates."""

    def __init__(self, allowed_silence: float) -> None:
        self._allowed = allowed_silence
        self._last: float | None = None

    @property
    def allowed_silence(self) -> float:
        return self._allowed

    def touch(self) -> None:
        self._last = time.monotonic()

    def alive(self) -> bool:
        return self._last is not None and time.monotonic() - self._last <= self._allowed
