"""Settings: defaults from the contract, and a bad value named at start."""

from __future__ import annotations

import subprocess
import sys
from datetime import time, timedelta

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in (
        "BOT_TOKEN",
        "ADMIN_IDS",
        "REMINDER_OFFSETS",
        "QUIET_HOURS",
        "BOT_TIMEZONE",
        "UPDATE_TIME_LIMIT",
        "PUBLIC_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_follow_the_contract() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/quartiere.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.reminder_offsets == (timedelta(hours=24), timedelta(hours=2))
    assert settings.quiet_hours == (time(21), time(8))
    assert settings.hours_nudge_after == timedelta(hours=1)
    assert settings.broadcast_rate == 25
    assert settings.health_address == ("127.0.0.1", 8081)
    assert str(settings.timezone) == "Europe/Rome"
    assert settings.update_time_limit == 60


def test_list_and_duration_values_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADMIN_IDS", "111, 222")
    monkeypatch.setenv("REMINDER_OFFSETS", "15m,1d,90s")
    monkeypatch.setenv("QUIET_HOURS", "")
    settings = load_settings()
    assert settings.admin_ids == (111, 222)
    assert settings.reminder_offsets == (
        timedelta(days=1),
        timedelta(minutes=15),
        timedelta(seconds=90),
    )
    assert settings.quiet_hours is None


def test_dotenv_file_in_the_working_directory_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("BOT_TIMEZONE=Europe/London\n")
    assert load_settings().bot_timezone == "Europe/London"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TIMEZONE", "Mars/Olympus"),
        ("ADMIN_IDS", "111,abc"),
        ("REMINDER_OFFSETS", "24h,soon"),
        ("QUIET_HOURS", "late"),
        ("BROADCAST_RATE", "-1"),
        ("DEFAULT_LOCALE", "fr"),
        ("DATABASE_URL", "mysql://x"),
        ("HEALTH_LISTEN", "8081"),
        ("UPDATE_TIME_LIMIT", "soon"),
        ("UPDATE_TIME_LIMIT", "inf"),
        ("OUTBOX_LEASE", "0s"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()


@pytest.mark.parametrize("value", ["30", "10", "0.5"])
def test_an_update_time_limit_within_the_reply_budget_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """An update cut off before its replies had their 30 s would apologise needlessly."""
    monkeypatch.setenv("UPDATE_TIME_LIMIT", value)
    with pytest.raises(SettingsError, match="UPDATE_TIME_LIMIT: must be more than 30 seconds"):
        load_settings()
    monkeypatch.setenv("UPDATE_TIME_LIMIT", "31")
    assert load_settings().update_time_limit == 31


def test_the_program_stops_at_start_naming_the_bad_variable(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "migrate"],
        env={"BOT_TIMEZONE": "Nowhere/Special", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "BOT_TIMEZONE" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("value", "expected", "path"),
    [
        ("https://bot.example.org/app/", "https://bot.example.org/app", "/app/"),
        ("https://bot.example.org", "https://bot.example.org", "/"),
        ("http://127.0.0.1:8088/app", "http://127.0.0.1:8088/app", "/app/"),
        ("http://localhost:8088", "http://localhost:8088", "/"),
    ],
)
def test_public_base_url_is_https_or_plain_http_on_this_machine(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str, path: str
) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    settings = load_settings()
    assert (settings.public_base_url, settings.mini_app_path) == (expected, path)


@pytest.mark.parametrize(
    "value", ["http://bot.example.org/app", "ftp://bot.example.org", "https://x.org/app?a=1"]
)
def test_a_public_base_url_telegram_would_not_open_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(SettingsError, match="PUBLIC_BASE_URL"):
        load_settings()


def test_without_public_base_url_there_is_no_mini_app() -> None:
    settings = load_settings()
    assert settings.public_base_url is None and settings.mini_app_path is None
