"""Trust fixture: the hours programme with one pending report and one scheduled announcement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.announcements import compose as announcements
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness
from tests.support.programme import MARIA, prepare
from tests.trust.trust import Trust


@pytest.fixture
async def trust(harness: BotHarness, load_catalog) -> Trust:
    programme = await prepare(harness.sessions, load_catalog, harness.clock)
    await harness.say(MARIA, "/hours 3 05/12", language_code="en", first_name="Maria")
    [report] = await programme.reports(MARIA)
    async with harness.sessions() as session:
        progress = await announcements.announce(
            session,
            announcements.Draft(
                text="Festa di quartiere sabato!", send_at=harness.clock.now() + timedelta(days=1)
            ),
            actor=ADMIN_ID,
            admin_ids=harness.settings.admin_ids,
            now=harness.clock.now(),
            default_locale="it",
        )
    return Trust(harness, programme, report.id, progress.id)
