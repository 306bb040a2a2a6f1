"""How a test adds a person to the volunteer register."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Register = Callable[[int], Awaitable[None]]
