"""Every command that takes a DATE reads it the same way and refuses a bad one in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main

# Each command and date option, with the other options the command needs.
COMMANDS = [
    (["export", "hours", "--to", "2026-12-31"], "--from"),
    (["export", "hours", "--from", "2026-01-01"], "--to"),
    (["stats", "--to", "2026-12-31"], "--from"),
    (["stats", "--from", "2026-01-01"], "--to"),
    (["audit"], "--since"),
]


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The date is checked before the database is opened: this one does not exist.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")


@pytest.mark.parametrize(("arguments", "option"), COMMANDS)
@pytest.mark.parametrize("bad", ["2026-02-30", "20260101", "01/01/2026", "yesterday", ""])
def test_a_bad_date_is_the_same_one_line_error_for_every_command(
    arguments: list[str], option: str, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*arguments, option, bad]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {option} {bad!r} is not a date (YYYY-MM-DD)\n"
    assert not Path("none.db").exists()


@pytest.mark.parametrize(("arguments", "option"), COMMANDS)
def test_a_missing_date_is_the_same_one_line_error_for_every_command(
    arguments: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {option} DATE is required (YYYY-MM-DD)\n"


@pytest.mark.parametrize("command", [["export", "hours"], ["stats"]])
def test_a_period_ending_before_it_starts_is_refused_by_every_command(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--from", "2026-12-02", "--to", "2026-12-01"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: --from 2026-12-02 is after --to 2026-12-01\n"
    assert not Path("none.db").exists()
