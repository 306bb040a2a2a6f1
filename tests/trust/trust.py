"""The trust scene: the hours programme with one pending report and one scheduled announcement.

Maria (a volunteer) has logged 3 hours on the Saturday garden shift, waiting for the
garden tutors; Piero is a citizen who never joined the register; the SPID tutor looks
after another project. An admin has scheduled an announcement for tomorrow.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from storage.models import AuditEntry, Delivery, HourReport
from tests.support.harness import BotHarness
from tests.support.programme import Programme


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
