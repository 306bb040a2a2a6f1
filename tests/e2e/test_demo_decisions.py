"""Hours and decisions in the demo's web chat, in Italian and English: hours logged by a
project's name, and a tutor's numbered decisions with a restated prompt and an undo.

One demo process for the module, its clock set through CLOCK_FILE: the volunteer persona
joins a shift of "Orti condivisi Montenero" on the first day (so it is their one garden
project); each language then stands on days of its own, so that neither sees the other's
reports, and leaves nothing waiting for a decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_chat import Chat, expect, launched_browser
from tests.e2e.demo_process import DemoProcess, demo_environment

DEMO_STARTS = "2026-12-01T10:00:00+01:00"  # a Tuesday: the catalog is dated from here


@dataclass(frozen=True)
class Words:
    """What each persona types and reads, in one language."""

    now: str  # where the clock stands for this language's reports
    log_yesterday: str
    log_today: str
    logged: str
    project: str
    approve: str
    heading: str
    approve_first: str
    reject_second: str
    approved_mark: str
    prompt: str
    reason: str
    not_approved: str
    rejected_mark: str
    told: str
    undo: str
    undone: str
    my_hours: str
    waiting: str
    none_left: str


WORDS = {
    "it": Words(
        now="2026-12-03T10:00:00+01:00",
        log_yesterday="/ore 2h30 ieri orti",
        log_today="/ore 1 oggi orti",
        logged="Ore registrate",
        project="Orti condivisi Montenero",
        approve="/approva",
        heading="Ore da approvare",
        approve_first="✅ Approva 1",
        reject_second="❌ Rifiuta 2",
        approved_mark="✅ approvata",
        prompt="Rifiuti",
        reason="Quel giorno l'orto era chiuso",
        not_approved="Non approvate",
        rejected_mark="❌ rifiutata",
        told="non sono state approvate",
        undo="↩️ Annulla",
        undone="Annullato",
        my_hours="/mieore",
        waiting="In attesa dell'approvazione",
        none_left="non ne resta nessuna in attesa",
    ),
    "en": Words(
        now="2026-12-05T10:00:00+01:00",
        log_yesterday="/hours 2h30 yesterday orti",
        log_today="/hours 1 today orti",
        logged="Logged",
        project="Montenero shared gardens",
        approve="/approve",
        heading="Hours to approve",
        approve_first="✅ Approve 1",
        reject_second="❌ Reject 2",
        approved_mark="✅ approved",
        prompt="You are rejecting",
        reason="The garden was closed that day",
        not_approved="Not approved",
        rejected_mark="❌ rejected",
        told="have not been approved",
        undo="↩️ Undo",
        undone="Undone",
        my_hours="/myhours",
        waiting="Awaiting a tutor's approval",
        none_left="none left waiting",
    ),
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clock") / "now.txt"
    path.write_text(DEMO_STARTS)
    return path


@pytest.fixture(scope="module")
def demo(
    browser: Any, clock_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoProcess]:
    # Notices must not wait for the end of the night's quiet hours.
    environment = demo_environment(QUIET_HOURS="", CLOCK_FILE=str(clock_file))
    process = DemoProcess.cli(environment, tmp_path_factory.mktemp("demo"))
    try:
        process.wait_address(within=90)
        yield process
    finally:
        code = process.stop()
    assert code == 0, process.log


@pytest.fixture(scope="module")
def montenero_volunteer(browser: Any, demo: DemoProcess) -> None:
    """On the first day the volunteer persona takes a place on a Montenero shift."""
    volunteer = Chat(browser, demo, "volunteer", "en")
    volunteer.from_menu("volunteer")
    projects = volunteer.reply("Volunteering projects")
    volunteer.press(projects, "Montenero shared gardens")  # its card opens in place
    expect(projects).to_contain_text("Next shifts")
    volunteer.press(projects, re.compile("^Join: "))
    expect(volunteer.reply("Your place is confirmed.")).to_contain_text("Montenero")
    volunteer.close()


@pytest.fixture
def open_chat(browser: Any, demo: DemoProcess) -> Iterator[Any]:
    chats: list[Chat] = []

    def open_one(persona: str, language: str) -> Chat:
        chats.append(Chat(browser, demo, persona, language))
        return chats[-1]

    yield open_one
    for chat in chats:
        chat.close()


def _item(listing: Any, number: int) -> list[str]:
    """One report of an /approve list: name, project, day, hours."""
    text = listing.inner_text()
    found = re.search(rf"^{number}\. (.+)$", text, re.MULTILINE)
    assert found is not None, text
    return found.group(1).split(" · ")


@pytest.mark.parametrize("language", ["it", "en"])
def test_hours_by_name_then_numbered_decisions_a_restated_rejection_and_undo(
    open_chat: Any, montenero_volunteer: None, clock_file: Path, language: str
) -> None:
    words = WORDS[language]
    clock_file.write_text(words.now)
    volunteer = open_chat("volunteer", language)
    volunteer.say(words.log_yesterday)
    expect(volunteer.reply(words.logged)).to_contain_text(words.project)
    volunteer.say(words.log_today)
    expect(volunteer.reply(words.logged)).to_contain_text(words.project)

    tutor = open_chat("tutor", language)
    tutor.say(words.approve)
    listing = tutor.reply(words.heading)
    first, second = _item(listing, 1), _item(listing, 2)
    assert first[1:] != second[1:]  # two reports, told apart by their day and hours
    tutor.press(listing, words.approve_first)
    expect(listing).to_contain_text(words.approved_mark)
    # Item 2 is still item 2 after the approval: the prompt names that report.
    tutor.press(listing, words.reject_second)
    prompt = tutor.reply(words.prompt)
    for part in second:
        expect(prompt).to_contain_text(part.removeprefix("2. "))
    volunteer._act()
    tutor.say(words.reason)
    rejected = tutor.reply(words.not_approved)
    expect(listing).to_contain_text(words.rejected_mark)
    told = volunteer.reply(words.told)
    for part in (second[2], second[3], words.reason):
        expect(told).to_contain_text(part)

    tutor.press(rejected, words.undo)  # within ten minutes
    expect(rejected).to_contain_text(words.undone)
    volunteer.say(words.my_hours)
    mine = volunteer.reply(words.waiting)
    expect(mine).to_contain_text(f"1. {second[2]} · {words.project} · {second[3]}")

    # The restored report waits in /approve again; approving it leaves the list empty.
    tutor.say(words.approve)
    again = tutor.reply(words.heading)
    assert _item(again, 1)[1:] == second[1:]
    tutor.press(again, words.approve_first)
    expect(again).to_contain_text(words.none_left)
