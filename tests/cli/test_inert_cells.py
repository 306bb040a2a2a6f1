"""Every CSV the office opens shows text as text: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.announcements import compose as announcements
from bot.services.catalog.importing import import_catalog_text
from storage.db import create_engine, create_session_factory
from storage.models import Delivery, HourReport, Project
from tests.support.cli import cli
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.people import volunteer

CATALOG = """\
projects:
  - code: orti
    title: "=HYPERLINK(\\"http://evil.example\\", \\"Orti\\")"
    description: Orti
    theme: sostenibilita
"""
# What a person could type as a name, each the start of a formula in a spreadsheet.
NAMES = {
    101: '=HYPERLINK("http://evil.example","Maria")',
    102: "+39 fake",
    103: "-2+3",
    104: "@SUM(A1)",
    105: "\tTabbed",
    106: "\rReturned",
    107: "Anna = Bianchi",  # only the first character counts
}
PSEUDONYM = -4242  # a forgotten volunteer: a negative number, not a formula
DAY = date(2026, 11, 30)
PERIOD = ("--from", "2026-11-01", "--to", "2026-11-30")


def _inert(text: str) -> str:
    return text if text[0] not in "=+-@\t\r" else "'" + text


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    await import_catalog_text(sessions, CATALOG, "projects.yaml", timezone=ROME, now=TEST_NOW)
    async with sessions() as session:
        project = await session.scalar(select(Project))
        assert project is not None
        people = {**NAMES, PSEUDONYM: "—"}
        for telegram_id, name in people.items():
            registered = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
            session.add(volunteer(telegram_id, name, verified=True, registered_at=registered))
            session.add(
                HourReport(
                    telegram_id=telegram_id,
                    project_id=project.id,
                    work_date=DAY,
                    minutes=60,
                    status="approved",
                    created_at=registered,
                    updated_at=registered,
                    reviewed_by=7001,
                    reviewed_at=registered,
                )
            )
        await session.commit()


async def _seeded(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _seed(create_session_factory(engine))
    finally:
        await engine.dispose()


@pytest.fixture
def seeded_url(database_url: str) -> str:
    asyncio.run(_seeded(database_url))
    return database_url


def test_the_register_export_writes_formula_like_names_and_phones_as_text(
    seeded_url: str, tmp_path: Path
) -> None:
    result = cli("export", "volunteers", database_url=seeded_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {row["telegram_user_id"]: row for row in result.rows()}
    for telegram_id, name in NAMES.items():
        assert rows[str(telegram_id)]["full_name"] == _inert(name)
        assert rows[str(telegram_id)]["phone"] == "'+39 333 0000000"
    assert rows[str(PSEUDONYM)]["full_name"] == "—"  # the id stays a plain number


def test_the_hours_export_writes_formula_like_names_as_text_and_numbers_plain(
    seeded_url: str, tmp_path: Path
) -> None:
    result = cli("export", "hours", *PERIOD, database_url=seeded_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {row["telegram_user_id"]: row for row in result.rows()}
    for telegram_id, name in NAMES.items():
        assert rows[str(telegram_id)]["volunteer_name"] == _inert(name)
        assert rows[str(telegram_id)]["minutes"] == "60"
    assert rows[str(PSEUDONYM)]["minutes"] == "60"


def test_the_stats_csv_writes_a_formula_like_project_title_as_text(
    seeded_url: str, tmp_path: Path
) -> None:
    result = cli("stats", *PERIOD, "--format", "csv", database_url=seeded_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project, total = result.rows()
    assert project["project"] == '\'=HYPERLINK("http://evil.example", "Orti")'
    assert (project["approved_minutes"], total["approved_minutes"]) == ("480", "480")


async def test_the_list_of_recipients_not_reached_writes_a_formula_like_reason_as_text(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        for recipient, error in ((11, "=cmd|' /C calc'!A0"), (12, "Forbidden: bot was blocked")):
            session.add(
                Delivery(
                    recipient_id=recipient,
                    kind="announcement",
                    priority=9,
                    message_key="announcement",
                    params={},
                    dedup_key=f"announcement:1:{recipient}",
                    due_at=TEST_NOW,
                    status="failed",
                    attempts=1,
                    last_error=error,
                    created_at=TEST_NOW,
                    announcement_id=1,
                )
            )
        await session.commit()
        table = await announcements.failures_csv(session, 1)
    assert table.splitlines() == [
        "telegram_user_id,status,reason",
        "11,failed,'=cmd|' /C calc'!A0",
        "12,failed,Forbidden: bot was blocked",
    ]
