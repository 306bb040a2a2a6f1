"""Shared fixtures, from tests/support: the databases, and the bot over the emulator."""

from __future__ import annotations

import bot  # noqa: F401  - first, so aiogram is imported the way the bot imports it

pytest_plugins = ["tests.support.databases", "tests.support.fixtures"]
