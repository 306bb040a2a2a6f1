"""Hour reports written straight through storage, with the figures they must add up to.

Wednesday 2 December 2026 is the tests' today. Projects come from tests/data/projects.yaml:
"orti" (tutors 7001 and 7002) and "spid-help" (tutor 7003).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import import_catalog_text
from storage.models import HourReport, Project
from tests.support.fixtures import DATA, ROME, TEST_NOW
from tests.support.people import volunteer

IVAN, FATIMA, MARIA, NOT_REGISTERED = 901, 902, 903, 904
GARDENS_TUTOR, SPID_TUTOR = 7001, 7003
REGISTERED = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NAMES = {IVAN: "Иван Петров", FATIMA: "فاطمة الزهراء", MARIA: "Maria Rossi"}


@dataclass(frozen=True)
class Report:
    telegram_id: int
    project: str
    day: date
    minutes: int
    status: str
    reviewed_by: int | None = None


REPORTS = (
    Report(IVAN, "orti", date(2026, 11, 14), 150, "approved", GARDENS_TUTOR),
    Report(IVAN, "orti", date(2026, 12, 1), 90, "approved", GARDENS_TUTOR),
    Report(IVAN, "spid-help", date(2026, 6, 10), 120, "approved", SPID_TUTOR),
    Report(IVAN, "orti", date(2025, 5, 3), 60, "approved", GARDENS_TUTOR),
    Report(IVAN, "orti", date(2026, 12, 2), 45, "pending"),
    Report(IVAN, "spid-help", date(2026, 12, 1), 30, "rejected", SPID_TUTOR),
    Report(FATIMA, "orti", date(2026, 12, 1), 180, "approved", GARDENS_TUTOR),
    Report(FATIMA, "spid-help", date(2026, 1, 1), 30, "approved", SPID_TUTOR),
    Report(MARIA, "orti", date(2025, 12, 31), 240, "approved", GARDENS_TUTOR),
    Report(MARIA, "spid-help", date(2026, 11, 30), 60, "pending"),
)


def approved_minutes(project: str | None, first: date, last: date) -> int:
    return sum(
        r.minutes
        for r in REPORTS
        if r.status == "approved" and first <= r.day <= last and project in (None, r.project)
    )


async def seed_hours(sessions: async_sessionmaker[AsyncSession]) -> None:
    text = (DATA / "projects.yaml").read_text(encoding="utf-8")
    await import_catalog_text(sessions, text, "projects.yaml", timezone=ROME, now=TEST_NOW)
    async with sessions() as session:
        projects = {p.code: p.id for p in await session.scalars(select(Project))}
        session.add_all(
            volunteer(telegram_id, name, verified=True, registered_at=REGISTERED)
            for telegram_id, name in NAMES.items()
        )
        session.add_all(_report(report, projects[report.project]) for report in REPORTS)
        await session.commit()


def _report(report: Report, project_id: int) -> HourReport:
    moment = datetime.combine(report.day, datetime.min.time(), tzinfo=ROME).replace(hour=20)
    decided = report.status != "pending"
    return HourReport(
        telegram_id=report.telegram_id,
        project_id=project_id,
        work_date=report.day,
        minutes=report.minutes,
        status=report.status,
        created_at=moment,
        updated_at=moment,
        reviewed_by=report.reviewed_by,
        reviewed_at=moment if decided else None,
    )
