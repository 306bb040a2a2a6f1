"""Tutors come only by appointment: a catalog re-import never brings back removed staff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.cli import Result, cli
from tests.support.fixtures import DATA

# tests/data/projects.yaml lists 7001 and 7002 as tutors of "orti", 7003 of "spid-help".
REMOVED, KEPT = 7001, 7002


@pytest.fixture
def first_import(database_url: str, tmp_path: Path) -> Result:
    shutil.copy(DATA / "projects.yaml", tmp_path / "projects.yaml")
    return _run("import", "projects.yaml", url=database_url, cwd=tmp_path)


@pytest.fixture
def imported(database_url: str, first_import: Result) -> str:
    return database_url


def _run(*args: str, url: str, cwd: Path) -> Result:
    result = cli(*args, database_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def _staff(url: str, cwd: Path) -> dict[str, str]:
    """Each person's lines (`id,role,scopes`, one per role), together."""
    lines = _run("staff", "list", url=url, cwd=cwd).stdout.decode().splitlines()
    held: dict[str, str] = {}
    for line in lines:
        held[line.split(",")[0]] = held.get(line.split(",")[0], "") + line + "\n"
    return held


def _audit(url: str, cwd: Path) -> list[str]:
    return _run("audit", "--since", "2000-01-01", url=url, cwd=cwd).stdout.decode().splitlines()


def test_a_reimport_does_not_reappoint_a_removed_tutor_and_says_so(
    imported: str, tmp_path: Path
) -> None:
    _run("staff", "remove", str(REMOVED), url=imported, cwd=tmp_path)
    again = _run("import", "projects.yaml", url=imported, cwd=tmp_path)
    assert f"tutors not appointed, removed with staff remove: {REMOVED}" in again.stderr
    assert "tutors appointed" not in again.stderr
    staff = _staff(imported, tmp_path)
    assert str(REMOVED) not in staff and str(KEPT) in staff


def test_staff_add_after_a_removal_lets_the_catalog_appoint_again(
    imported: str, tmp_path: Path
) -> None:
    _run("staff", "remove", str(REMOVED), url=imported, cwd=tmp_path)
    add = ("staff", "add", str(REMOVED), "--role", "tutor", "--project", "spid-help")
    _run(*add, url=imported, cwd=tmp_path)
    again = _run("import", "projects.yaml", url=imported, cwd=tmp_path)
    assert f"tutors appointed: {REMOVED}" in again.stderr
    assert "not appointed" not in again.stderr
    assert "orti" in _staff(imported, tmp_path)[str(REMOVED)]


def test_every_appointment_by_a_catalog_is_audited_and_summarised(
    first_import: Result, imported: str, tmp_path: Path
) -> None:
    assert "tutors appointed: 7001, 7002, 7003" in first_import.stderr
    appointed = [line for line in _audit(imported, tmp_path) if "catalog.tutor_appointed" in line]
    assert [line.split(" ", 2)[2] for line in appointed] == [
        "catalog.tutor_appointed project:orti user:7001",
        "catalog.tutor_appointed project:orti user:7002",
        "catalog.tutor_appointed project:spid-help user:7003",
    ]
    assert all(line.split()[1] == "cli" for line in appointed)
    # Importing the same file again appoints no one, so it adds no entry.
    _run("import", "projects.yaml", url=imported, cwd=tmp_path)
    after = [line for line in _audit(imported, tmp_path) if "catalog.tutor_appointed" in line]
    assert after == appointed
