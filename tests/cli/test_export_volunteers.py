"""`quartiere-bot export volunteers`: the volunteer register as CSV, run as an operator runs it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services.catalog.importing import import_catalog_text
from storage.db import create_engine, create_session_factory
from storage.models import ProjectMember, Shift, Signup
from tests.support.cli import cli
from tests.support.people import volunteer

DATA = Path(__file__).resolve().parents[1] / "data"
ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HEADER = "telegram_user_id,full_name,birth_date,phone,registered_on,status,projects"
TUTOR_ID = 111111111

PROJECTS = """\
projects:
  - code: orti-orologio
    title: {it: Orti condivisi Orologio, en: Orologio shared gardens}
    description: Cura degli orti
    theme: sostenibilita
    hub: casa-orologio
    tutors: [111111111]
    shifts:
      - {code: orti-1, start: 2026-12-01T09:00, end: 2026-12-01T12:00, capacity: 4}
      - {code: orti-2, start: 2026-12-08T09:00, end: 2026-12-08T12:00, capacity: 4}
  - code: ago-filo-spid
    title: Ago, filo e SPID
    description: Aiuto con lo SPID
    theme: digitale
    shifts:
      - {code: spid-1, start: 2026-12-03T15:00, end: 2026-12-03T18:00, capacity: 2}
  - code: bosco-urbano
    title: Bosco urbano
    description: Piantumazioni
    theme: spazi-pubblici
    shifts:
      - {code: bosco-1, start: 2026-12-05T09:00, end: 2026-12-05T12:00, capacity: 10}
"""

# Telegram ids chosen so that numeric and text order differ: the export is in numeric order.
VERIFIED_ID = 1000
TO_VERIFY_ID = 20
NO_PROJECT_ID = 300
NOT_A_VOLUNTEER_ID = 55


async def _seed(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        for text, filename in (
            ((DATA / "hubs.yaml").read_text(), "hubs.yaml"),
            (PROJECTS, "projects.yaml"),
        ):
            await import_catalog_text(sessions, text, filename, timezone=ROME, now=NOW)
        async with sessions() as session:
            shifts = {s.code: s.id for s in await session.scalars(select(Shift))}
            project_of = {
                code: project_id
                for code, project_id in await session.execute(select(Shift.code, Shift.project_id))
            }
            session.add_all(
                [
                    volunteer(
                        VERIFIED_ID,
                        "D'Angelo, Niccolò Ñúñez",
                        verified=True,
                        # 00:30 on 1 January in Rome.
                        registered_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
                    ),
                    volunteer(
                        TO_VERIFY_ID,
                        "Maria Rossi",
                        verified=False,
                        registered_at=datetime(2026, 3, 10, 11, 0, tzinfo=UTC),
                    ),
                    volunteer(
                        NO_PROJECT_ID,
                        'Luca "Il Bianco"',
                        verified=False,
                        registered_at=datetime(2026, 6, 30, 21, 59, tzinfo=UTC),
                    ),
                    _signup(shifts["orti-1"], VERIFIED_ID, "confirmed"),
                    _signup(shifts["orti-2"], VERIFIED_ID, "attended"),  # same project once
                    _signup(shifts["spid-1"], VERIFIED_ID, "attended"),
                    _signup(shifts["bosco-1"], TO_VERIFY_ID, "waitlisted"),
                    _signup(shifts["spid-1"], TO_VERIFY_ID, "cancelled"),
                    _signup(shifts["orti-1"], NOT_A_VOLUNTEER_ID, "confirmed"),
                    ProjectMember(
                        project_id=project_of["orti-1"],
                        telegram_id=TO_VERIFY_ID,
                        added_by=TUTOR_ID,
                        added_at=NOW,
                    ),
                    # Added by a tutor and also on a shift: still one project.
                    ProjectMember(
                        project_id=project_of["spid-1"],
                        telegram_id=VERIFIED_ID,
                        added_by=TUTOR_ID,
                        added_at=NOW,
                    ),
                ]
            )
            await session.commit()
    finally:
        await engine.dispose()


def _signup(shift_id: int, telegram_id: int, status: str) -> Signup:
    return Signup(
        shift_id=shift_id, telegram_id=telegram_id, status=status, queued_at=NOW, updated_at=NOW
    )


@pytest.fixture
def register_url(database_url: str) -> str:
    asyncio.run(_seed(database_url))
    return database_url


def test_the_register_has_one_row_per_volunteer_in_telegram_id_order(
    register_url: str, tmp_path: Path
) -> None:
    result = cli("export", "volunteers", database_url=register_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines()[0] == HEADER
    assert result.stderr.strip() == "3 volunteers exported"
    assert result.rows() == [
        {
            "telegram_user_id": "20",
            "full_name": "Maria Rossi",
            "birth_date": "1990-05-17",
            "phone": "'+39 333 0000000",
            "registered_on": "2026-03-10",
            "status": "to_verify",
            "projects": "orti-orologio",
        },
        {
            "telegram_user_id": "300",
            "full_name": 'Luca "Il Bianco"',
            "birth_date": "1990-05-17",
            "phone": "'+39 333 0000000",
            "registered_on": "2026-06-30",
            "status": "to_verify",
            "projects": "",
        },
        {
            "telegram_user_id": "1000",
            "full_name": "D'Angelo, Niccolò Ñúñez",
            "birth_date": "1990-05-17",
            "phone": "'+39 333 0000000",
            "registered_on": "2026-01-01",
            "status": "verified",
            "projects": "ago-filo-spid;orti-orologio",
        },
    ]


def test_projects_come_from_held_places_and_tutors_not_from_waitlist_or_cancelled(
    register_url: str, tmp_path: Path
) -> None:
    rows = cli("export", "volunteers", database_url=register_url, cwd=tmp_path).rows()
    projects = {row["telegram_user_id"]: row["projects"] for row in rows}
    assert projects[str(TO_VERIFY_ID)] == "orti-orologio"  # tutor-added only
    assert "bosco-urbano" not in ";".join(projects.values())  # only a waitlisted signup there
    assert str(NOT_A_VOLUNTEER_ID) not in projects


def test_registration_dates_are_local_to_bot_timezone(register_url: str, tmp_path: Path) -> None:
    rome = cli("export", "volunteers", database_url=register_url, cwd=tmp_path).rows()
    utc = cli("export", "volunteers", database_url=register_url, cwd=tmp_path, timezone="UTC")
    registered = {row["telegram_user_id"]: row["registered_on"] for row in rome}
    assert registered[str(VERIFIED_ID)] == "2026-01-01"
    assert registered[str(NO_PROJECT_ID)] == "2026-06-30"  # 23:59 in Rome, still the same day
    by_utc = {row["telegram_user_id"]: row["registered_on"] for row in utc.rows()}
    assert by_utc[str(VERIFIED_ID)] == "2025-12-31"


def test_a_name_with_commas_quotes_and_accents_survives_as_utf8(
    register_url: str, tmp_path: Path
) -> None:
    result = cli("export", "volunteers", database_url=register_url, cwd=tmp_path)
    assert '"D\'Angelo, Niccolò Ñúñez"'.encode() in result.stdout
    assert b'"Luca ""Il Bianco"""' in result.stdout
    names = [row["full_name"] for row in result.rows()]
    assert "D'Angelo, Niccolò Ñúñez" in names and 'Luca "Il Bianco"' in names


def test_out_writes_the_same_csv_to_a_file_and_nothing_to_stdout(
    register_url: str, tmp_path: Path
) -> None:
    printed = cli("export", "volunteers", database_url=register_url, cwd=tmp_path)
    written = cli(
        "export", "volunteers", "--out", "register.csv", database_url=register_url, cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout == b""
    assert written.stderr.strip() == "3 volunteers exported"
    assert (tmp_path / "register.csv").read_bytes() == printed.stdout
    assert printed.stdout.startswith(HEADER.encode() + b"\r\n")


def test_an_empty_register_is_just_the_header(database_url: str, tmp_path: Path) -> None:
    result = cli("export", "volunteers", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == HEADER.encode() + b"\r\n"
    assert result.stderr.strip() == "0 volunteers exported"


@pytest.mark.parametrize("target", ["missing-folder/register.csv", "."])
def test_an_unwritable_out_exits_1_with_a_one_line_reason(
    target: str, register_url: str, tmp_path: Path
) -> None:
    result = cli("export", "volunteers", "--out", target, database_url=register_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: cannot write {target}:")


@pytest.mark.parametrize(
    ("command", "mentions"),
    [(["export"], "volunteers"), (["export", "volunteers"], "--out FILE")],
)
def test_export_has_help(command: list[str], mentions: str, tmp_path: Path) -> None:
    result = cli(*command, "--help", database_url="sqlite+aiosqlite:///x.db", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode().startswith("usage: quartiere-bot export")
    assert mentions in result.stdout.decode()
