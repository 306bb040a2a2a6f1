"""The one source of the current time, so tests can move it (also in a running bot)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: for in-process tests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, value: datetime) -> None:
        self._now = value.astimezone(UTC)


class RunningClock:
    """A clock that runs at the real pace from a chosen start, and can be moved: for tests
    of timed behaviour (retries, reminders) that must not wait for the real date."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs an aware datetime")
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, value: datetime) -> None:
        self._offset = value - datetime.now(UTC)


class FileClock:
    """Reads the time from a file (ISO 8601): the clock stood there when the file was
    written and runs on from it. Another process (an end-to-end test) writes the file to
    move this bot's clock. Without the file the clock is the system time.
    """

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._stamp: float | None = None
        self._value: timedelta | None = None  # the file's time minus when it was written

    def now(self) -> datetime:
        try:
            stamp = os.stat(self._path).st_mtime_ns
        except FileNotFoundError:
            return datetime.now(UTC)
        if stamp != self._stamp:
            parsed = datetime.fromisoformat(self._path.read_text().strip())
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            self._value = parsed - datetime.fromtimestamp(stamp / 1e9, UTC)
            self._stamp = stamp
        assert self._value is not None
        return datetime.now(UTC) + self._value


def clock_from(path: str | None) -> Clock:
    return FileClock(path) if path else SystemClock()
