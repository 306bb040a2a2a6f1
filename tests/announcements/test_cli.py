"""`quartiere-bot broadcast`: every audience form, times, confirmation and bad input."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.main import main
from emulator import BotApiEmulator
from storage.db import create_engine, create_session_factory
from storage.models import Announcement, Delivery
from tests.announcements.town import AUDIENCES, TOWN, load_town
from tests.support.fixtures import ROME


@pytest.fixture
def town_url(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    async def load() -> None:
        engine = create_engine(database_url)
        await load_town(create_session_factory(engine), BotApiEmulator(), TOWN)
        await engine.dispose()

    asyncio.run(load())
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("QUIET_HOURS", "")  # "going out now" even when run at night
    return database_url


def queued(database_url: str) -> list[tuple[Announcement, list[Delivery]]]:
    async def read() -> list[tuple[Announcement, list[Delivery]]]:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            found = []
            for announcement in await session.scalars(select(Announcement).order_by("id")):
                rows = await session.scalars(
                    select(Delivery).where(Delivery.announcement_id == announcement.id)
                )
                found.append((announcement, list(rows)))
        await engine.dispose()
        return found

    return asyncio.run(read())


def broadcast(*args: str) -> int:
    return main(["broadcast", *args])


def test_every_audience_form_queues_its_people_once(
    town_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = [*AUDIENCES, "quartiere:ospizio,project:orti,greenway:crostolo"]
    for form in forms:
        assert broadcast("--text", f"<b>For</b> {form}", "--audience", form, "--yes") == 0
    expected = [*AUDIENCES.values(), [101, 102, 104, 106]]
    reports = capsys.readouterr().err.splitlines()
    for number, ((announcement, rows), people) in enumerate(
        zip(queued(town_url), expected, strict=True), start=1
    ):
        assert sorted(row.recipient_id for row in rows) == sorted(people)
        assert announcement.created_by is None and announcement.text.startswith("<b>For</b>")
        assert reports[number - 1] == (
            f"queued announcement #{number} for {len(people)} recipients, going out now"
        )


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2030-06-01T18:00", datetime(2030, 6, 1, 16, 0, tzinfo=UTC)),  # local summer time
        ("2030-12-01 18:00", datetime(2030, 12, 1, 17, 0, tzinfo=UTC)),
        ("2030-06-01T18:00+00:00", datetime(2030, 6, 1, 18, 0, tzinfo=UTC)),
    ],
)
def test_at_is_local_time_unless_it_has_an_offset(
    town_url: str, capsys: pytest.CaptureFixture[str], at: str, due: datetime
) -> None:
    assert broadcast("--text", "Later", "--audience", "project:orti", "--at", at, "--yes") == 0
    [(announcement, rows)] = queued(town_url)
    assert announcement.send_at == due and {row.due_at for row in rows} == {due}
    local = due.astimezone(ROME)
    assert capsys.readouterr().err == (
        f"queued announcement #1 for 2 recipients, going out at {local:%Y-%m-%d %H:%M} "
        "(Europe/Rome)\n"
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--text", "x", "--at", "2020-01-01T10:00"], "error: 2020-01-01T10:00 is in the past"),
        (["--text", "<b>bold"], "error: <b> is never closed"),
        (["--text", "a <br> b"], "error: <br> is not a tag Telegram accepts"),
        (["--text", "x", "--audience", "quartiere:Nowhere"], "error: unknown quartiere: Nowhere"),
        (["--text", "x", "--audience", "project:nope"], "error: unknown project: nope"),
        (["--text", "x", "--audience", "lang:de"], "error: unknown lang: de"),
        (["--text", "x", "--audience", "street:x"], "error: unknown audience 'street:x'"),
        (["--text", "x", "--at", "tomorrow"], "error: expected a time like"),
        (["--audience", "all"], "error: --text TEXT is required"),
    ],
)
def test_bad_input_exits_1_with_one_line_and_queues_nothing(
    town_url: str, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
) -> None:
    assert broadcast(*args, "--yes") == 1
    err = capsys.readouterr().err
    assert err.startswith(reason) and err.count("\n") == 1
    assert queued(town_url) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_yes_it_asks_on_a_terminal(
    town_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert broadcast("--text", "Maybe", "--audience", "project:orti") == 1
    assert "Queue this announcement for 2 recipients, going out now? [y/N]" in (
        capsys.readouterr().err
    )
    assert queued(town_url) == []
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert broadcast("--text", "Sure", "--audience", "project:orti") == 0
    [(announcement, rows)] = queued(town_url)
    assert announcement.text == "Sure" and len(rows) == 2


def test_without_yes_and_without_a_terminal_it_refuses(town_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "broadcast", "--text", "Hi"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "error: no terminal to confirm on: add --yes to queue without asking\n"
    assert queued(town_url) == []
