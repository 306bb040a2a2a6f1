"""Announcement fixture: the small town of town.py, loaded for the live bot."""

from __future__ import annotations

import pytest

from tests.announcements.town import TOWN, load_town
from tests.support.harness import LiveBot


@pytest.fixture
async def town(live_bot: LiveBot) -> LiveBot:
    await load_town(live_bot.sessions, live_bot.emulator, TOWN)
    return live_bot
