"""The operator's command line, run as a subprocess the way an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"


def cli(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [[], ["run"], ["send"], ["migrate"], ["import"], ["sample-data"], ["staff"], ["staff", "add"]],
)
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = cli(*command, "--help", database_url="sqlite+aiosqlite:///x.db", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: quartiere-bot")


def test_a_bad_catalog_is_refused_whole_with_the_line_of_each_error(
    database_url: str, tmp_path: Path
) -> None:
    good = (DATA / "hubs.yaml").read_text()
    bad = good.replace("lat: 44.6925", "lat: 144.6925").replace('"24/7"', '"Mo-Xx 09:00"')
    (tmp_path / "bad.yaml").write_text(bad)
    result = cli("import", "bad.yaml", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    lines = bad.splitlines()
    assert len(errors) == 2
    for error in errors:
        filename, line, message = error.split(":", 2)
        assert filename == "bad.yaml"
        assert ("144.6925" in lines[int(line) - 1]) or ("Mo-Xx" in lines[int(line) - 1]), error
        assert message.strip()
    (tmp_path / "good.yaml").write_text(good)
    staff = cli("staff", "list", database_url=database_url, cwd=tmp_path)
    assert staff.returncode == 0  # the bad import left the database usable and empty
    assert cli("sample-data", "--if-empty", database_url=database_url, cwd=tmp_path).stderr


def test_importing_the_same_file_twice_changes_nothing(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "hubs.yaml").write_text((DATA / "hubs.yaml").read_text())
    first = cli("import", "hubs.yaml", database_url=database_url, cwd=tmp_path)
    second = cli("import", "hubs.yaml", database_url=database_url, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout == ""
    assert "6 created" in first.stderr or "created" in first.stderr
    assert "0 created" in second.stderr and "0 updated" in second.stderr


def test_sample_data_if_empty_loads_only_into_an_empty_catalog(
    database_url: str, tmp_path: Path
) -> None:
    first = cli("sample-data", "--if-empty", database_url=database_url, cwd=tmp_path)
    second = cli("sample-data", "--if-empty", database_url=database_url, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "imported" in first.stderr
    assert "not loaded" in second.stderr


def test_staff_add_list_and_remove(database_url: str, tmp_path: Path) -> None:
    assert cli("sample-data", database_url=database_url, cwd=tmp_path).returncode == 0
    tutor = ("staff", "add", "555", "--role", "tutor", "--project", "ago-filo-spid")
    added = cli(*tutor, database_url=database_url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    admin = cli("staff", "add", "777", "--role", "admin", database_url=database_url, cwd=tmp_path)
    assert admin.returncode == 0
    listing = cli("staff", "list", database_url=database_url, cwd=tmp_path).stdout.splitlines()
    assert "555,tutor,ago-filo-spid" in listing and "777,admin," in listing
    removed = cli("staff", "remove", "555", database_url=database_url, cwd=tmp_path)
    assert removed.returncode == 0
    listing = cli("staff", "list", database_url=database_url, cwd=tmp_path).stdout.splitlines()
    assert not [line for line in listing if line.startswith("555,")] and "777,admin," in listing


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["staff", "add", "555", "--role", "tutor", "--project", "nope"], "unknown project"),
        (["staff", "add", "555", "--role", "tutor"], "at least one --project"),
        (["staff", "remove", "424242"], "is not staff"),
        (["staff", "add", "555", "--role", "office"], "needs at least one --office"),
        (["staff", "add", "555", "--role", "desk", "--office", "verde"], "--office does not apply"),
        (["staff", "add", "555", "--role", "admin", "--project", "orti"], "tutors only"),
        (["staff", "add", "555", "--role", "office", "--office", "A B"], "no spaces or commas"),
        (["import", "missing.yaml"], "cannot read missing.yaml"),
    ],
)
def test_bad_input_exits_1_with_a_one_line_reason(
    args: list[str], reason: str, tmp_path: Path
) -> None:
    result = cli(*args, database_url=f"sqlite+aiosqlite:///{tmp_path}/q.db", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert reason in result.stderr
