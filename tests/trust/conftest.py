"""Trust fixtures: the hours programme with one pending report and one scheduled announcement.

Maria (a volunteer) has logged 3 hours on the Saturday garden shift, waiting for the
garden tutors; Piero is a citizen who never joined the register; the SPID tutor looks
after another project. An admin has scheduled an announcement for tomorrow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services.announcements import compose as announcements
from storage.models import AuditEntry, Delivery, HourReport
from tests.hours.conftest import MARIA, Programme, prepare
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness


@dataclass(frozen=True)
class Trust:
    bot: BotHarness
    programme: Programme
    report_id: int
    announcement_id: int

    async def deliveries(self) -> int:
        async with self.bot.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(Delivery)) or 0)

    async def audit(self) -> list[AuditEntry]:
        async with self.bot.sessions() as session:
            return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))

    async def report(self) -> HourReport:
        async with self.bot.sessions() as session:
            report = await session.get(HourReport, self.report_id)
            assert report is not None
            return report


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
