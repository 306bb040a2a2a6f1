"""Reminder fixture: the live bot with shifts to remind of."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.catalog.importing import import_catalog_text
from storage.models import Shift
from tests.reminders.reminded import EXTRA_CATALOG, Reminded
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import LiveBot


@pytest.fixture
async def reminded(live_bot: LiveBot, load_catalog) -> Reminded:
    await load_catalog("projects.yaml")
    await import_catalog_text(
        live_bot.sessions, EXTRA_CATALOG, "extra.yaml", timezone=ROME, now=TEST_NOW
    )
    async with live_bot.sessions() as session:
        rows = await session.execute(select(Shift.code, Shift.id))
        ids = {str(code): int(shift_id) for code, shift_id in rows}
    return Reminded(live_bot, ids)
