"""`quartiere-bot export hours` and `stats`, run as an operator runs them."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from pathlib import Path

import pytest

from bot.cli import hours as cli_hours
from storage.db import create_engine, create_session_factory
from storage.models import HourReportStatus
from tests.figures.data import (
    FATIMA,
    GARDENS_TUTOR,
    IVAN,
    MARIA,
    NAMES,
    REPORTS,
    approved_minutes,
    seed_hours,
)
from tests.support.cli import cli

HEADER = "date,telegram_user_id,volunteer_name,project_code,minutes,status,reviewed_by"
YEAR_2026 = ("--from", "2026-01-01", "--to", "2026-12-31")


async def _seed(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await seed_hours(create_session_factory(engine))
    finally:
        await engine.dispose()


@pytest.fixture
def hours_url(database_url: str) -> str:
    asyncio.run(_seed(database_url))
    return database_url


def test_export_has_one_row_per_report_in_date_order(hours_url: str, tmp_path: Path) -> None:
    result = cli("export", "hours", *YEAR_2026, database_url=hours_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines()[0] == HEADER
    rows = result.rows()
    expected = sorted((r for r in REPORTS if r.day.year == 2026), key=lambda r: r.day)
    assert [(row["date"], row["minutes"]) for row in rows] == [
        (r.day.isoformat(), str(r.minutes)) for r in expected
    ]
    assert result.stderr.strip() == f"{len(expected)} hour reports exported"
    first_december = [row for row in rows if row["date"] == "2026-12-01"]
    assert {
        (row["telegram_user_id"], row["volunteer_name"], row["project_code"], row["status"])
        for row in first_december
    } == {
        (str(IVAN), NAMES[IVAN], "orti", "approved"),
        (str(IVAN), NAMES[IVAN], "spid-help", "rejected"),
        (str(FATIMA), NAMES[FATIMA], "orti", "approved"),
    }
    pending = [row for row in rows if row["status"] == "pending"]
    assert pending and all(row["reviewed_by"] == "" for row in pending)
    approved = [
        row for row in rows if row["project_code"] == "orti" and row["status"] == "approved"
    ]
    assert {row["reviewed_by"] for row in approved} == {str(GARDENS_TUTOR)}


def test_export_dates_are_inclusive_at_both_ends(hours_url: str, tmp_path: Path) -> None:
    result = cli(
        "export", "hours", "--from", "2025-12-31", "--to", "2026-01-01",
        database_url=hours_url, cwd=tmp_path,
    )  # fmt: skip
    assert [(row["date"], row["telegram_user_id"]) for row in result.rows()] == [
        ("2025-12-31", str(MARIA)),
        ("2026-01-01", str(FATIMA)),
    ]


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
def test_export_status_keeps_only_reports_in_that_state(
    status: str, hours_url: str, tmp_path: Path
) -> None:
    result = cli(
        "export", "hours", *YEAR_2026, "--status", status, database_url=hours_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    expected = [r for r in REPORTS if r.day.year == 2026 and r.status == status]
    assert len(result.rows()) == len(expected) > 0
    assert {row["status"] for row in result.rows()} == {status}


def test_export_status_offers_every_hour_report_status() -> None:
    assert tuple(HourReportStatus) == cli_hours.STATUSES


def test_export_out_writes_the_file_and_nothing_to_stdout(hours_url: str, tmp_path: Path) -> None:
    printed = cli("export", "hours", *YEAR_2026, database_url=hours_url, cwd=tmp_path)
    written = cli(
        "export", "hours", *YEAR_2026, "--out", "hours.csv", database_url=hours_url, cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout == b""
    assert (tmp_path / "hours.csv").read_bytes() == printed.stdout
    assert printed.stdout.startswith(HEADER.encode() + b"\r\n")
    assert NAMES[FATIMA].encode("utf-8") in printed.stdout


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--to", "2026-12-31"], "--from DATE is required"),
        (["--from", "2026-01-01"], "--to DATE is required"),
        (["--from", "2026-13-01", "--to", "2026-12-31"], "'2026-13-01' is not a date"),
        (["--from", "01/01/2026", "--to", "2026-12-31"], "'01/01/2026' is not a date"),
        (["--from", "20260101", "--to", "2026-12-31"], "'20260101' is not a date"),
        (["--from", "2026-12-02", "--to", "2026-12-01"], "--from 2026-12-02 is after --to"),
        ([*YEAR_2026, "--status", "done"], "--status must be one of pending, approved"),
        ([*YEAR_2026, "--out", "missing/hours.csv"], "cannot write missing/hours.csv"),
    ],
)
def test_export_bad_input_exits_1_with_one_line(
    arguments: list[str], reason: str, hours_url: str, tmp_path: Path
) -> None:
    result = cli("export", "hours", *arguments, database_url=hours_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and reason in line, line


def test_stats_csv_has_the_figures_per_project_and_in_total(hours_url: str, tmp_path: Path) -> None:
    result = cli("stats", *YEAR_2026, "--format", "csv", database_url=hours_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert result.rows() == [
        {
            "project_code": "orti",
            "project": "Orti condivisi",  # DEFAULT_LOCALE is Italian
            "active_volunteers": "2",
            "approved_hours": "7",
            "approved_minutes": str(approved_minutes("orti", *year)),
            "tutors": "2",
        },
        {
            "project_code": "spid-help",
            "project": "Ago, Filo e Spid",
            "active_volunteers": "2",
            "approved_hours": "2.5",
            "approved_minutes": str(approved_minutes("spid-help", *year)),
            "tutors": "1",
        },
        {
            "project_code": "",
            "project": "total",
            "active_volunteers": "2",  # Ivan and Fatima, each counted once
            "approved_hours": "9.5",
            "approved_minutes": str(approved_minutes(None, *year)),
            "tutors": "3",
        },
    ]


def test_stats_text_is_a_table_an_operator_reads(hours_url: str, tmp_path: Path) -> None:
    result = cli(
        "stats", "--from", "2025-01-01", "--to", "2025-12-31", database_url=hours_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "key figures 2025-01-01 to 2025-12-31"
    table = {line.split()[0]: line.split()[1:] for line in lines[1:4]}
    assert table["project"] == ["active_volunteers", "approved_hours", "tutors"]
    assert table["orti"] == ["2", "5", "2"]  # Ivan's hour and Maria's four on 31 December
    assert table["total"] == ["2", "5", "2"]
    assert "spid-help" not in result.stdout.decode()
    assert "orti: Orti condivisi" in lines


def test_stats_of_a_period_without_hours_are_zero(hours_url: str, tmp_path: Path) -> None:
    result = cli(
        "stats", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv",
        database_url=hours_url, cwd=tmp_path,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [(r["project"], r["active_volunteers"], r["approved_minutes"]) for r in rows] == [
        ("total", "0", "0")
    ]


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--from", "2026-02-30", "--to", "2026-12-31"], "'2026-02-30' is not a date"),
        (["--from", "2026-12-31", "--to", "2026-01-01"], "is after --to"),
        ([*YEAR_2026, "--format", "xml"], "--format must be one of text, csv"),
    ],
)
def test_stats_bad_input_exits_1_with_one_line(
    arguments: list[str], reason: str, hours_url: str, tmp_path: Path
) -> None:
    result = cli("stats", *arguments, database_url=hours_url, cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert reason in line, line


@pytest.mark.parametrize(
    ("command", "mentions"),
    [(["export", "hours"], "--status"), (["stats"], "--format"), (["verify"], "CODE")],
)
def test_hours_commands_have_help(command: list[str], mentions: str, tmp_path: Path) -> None:
    result = cli(*command, "--help", database_url="sqlite+aiosqlite:///x.db", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode().startswith(f"usage: quartiere-bot {command[0]}")
    assert mentions in result.stdout.decode()


def test_a_database_without_the_schema_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    for command in (["stats", *YEAR_2026], ["verify", "AAAAA-BBBBB"]):
        result = cli(*command, database_url=empty, cwd=tmp_path)
        assert result.returncode == 1
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error: cannot read the database (") and "migrated" in line
