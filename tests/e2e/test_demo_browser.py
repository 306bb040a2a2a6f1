"""The demo's web chat in a real browser: Debian's Chromium, headless, driven by Playwright.

The demo runs as a `quartiere-bot demo` subprocess, as a person starts it; every step goes
through the page as a person would use it, with the keyboard where it matters. Screenshots
are saved under pytest's temporary directory.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handlers.basics.menu import COMMANDS
from tests.e2e.demo_process import DemoProcess, demo_environment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
TIMEOUT_MS = 30_000

playwright = pytest.importorskip("playwright.sync_api", reason="needs the dev extra playwright")
expect = playwright.expect
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"the browser test needs Debian's Chromium at {CHROMIUM}: apt-get install chromium"
        )
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoProcess]:
    # Notices to the volunteer must not wait for the end of the night's quiet hours.
    environment = demo_environment(QUIET_HOURS="")
    process = DemoProcess.cli(environment, tmp_path_factory.mktemp("demo"))
    try:
        process.wait_address(within=90)
        yield process
    finally:
        code = process.stop()
    assert code == 0, process.log


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class Chat:
    """One persona's page; `reply` finds what the bot said after the last thing the user did."""

    def __init__(self, browser: Any, demo: DemoProcess, persona: str, language: str) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 820})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{demo.url}?persona={persona}&lang={language}")
        heading = re.compile("^(Chat of|Chat di)")  # the page speaks the persona's language
        expect(self.page.get_by_role("heading", name=heading)).to_be_visible()
        expect(self.page.get_by_role("log")).to_have_attribute("aria-busy", "false")
        self.seen = self.last_id()

    def last_id(self) -> int:
        last = self.page.locator("article[data-message-id]").last
        return int(last.get_attribute("data-message-id") or 0) if last.count() else 0

    def bot_messages(self) -> Any:
        return self.page.locator("article.from-bot")

    def message(self, message_id: int) -> Any:
        """A message, followed through its edits."""
        return self.page.locator(f'article[data-message-id="{message_id}"]')

    def reply(self, text: str) -> Any:
        """The bot's first message containing `text` since the user's last action."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while True:
            for found in self.bot_messages().filter(has_text=text).all():
                message_id = int(found.get_attribute("data-message-id") or 0)
                if message_id > self.seen:
                    return self.message(message_id)
            if time.monotonic() > deadline:
                raise AssertionError(f"no reply containing {text!r}: {self.transcript()}")
            self.page.wait_for_timeout(100)

    def transcript(self) -> str:
        return " | ".join(self.page.locator("article").all_inner_texts()[-6:])

    def _act(self) -> None:
        self.seen = self.last_id()

    def say(self, text: str) -> None:
        """Types into the message field and presses Enter."""
        self._act()
        field = self.page.get_by_label(re.compile("^(Message|Messaggio)$"))
        field.fill(text)
        field.press("Enter")

    def press(self, message: Any, label: str | re.Pattern[str]) -> None:
        self._act()
        message.get_by_role("button", name=label).first.click()

    def from_menu(self, command: str) -> None:
        self._act()
        self.page.get_by_role("button", name="Menu").click()
        menu = self.page.get_by_role("group", name="Commands of the bot")
        name = self.page.locator(".command-name").get_by_text(f"/{command}", exact=True)
        menu.get_by_role("button").filter(has=name).click()

    def screenshot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"))

    def close(self) -> None:
        self.context.close()
        assert self.errors == []


@pytest.fixture
def open_chat(browser: Any, demo: DemoProcess) -> Iterator[Any]:
    chats: list[Chat] = []

    def open_one(persona: str, language: str = "en") -> Chat:
        chats.append(Chat(browser, demo, persona, language))
        return chats[-1]

    yield open_one
    for chat in chats:
        chat.close()


def test_a_citizen_finds_the_nearest_hub_by_sending_a_location(
    open_chat: Any, screenshots: Path
) -> None:
    citizen = open_chat("citizen")
    page = citizen.page
    citizen._act()
    page.get_by_role("button", name="Start").press("Enter")  # the keyboard alone, throughout
    citizen.reply("Hello Giulia")
    citizen.say("/hubs")
    citizen.reply("Send your location")  # one bubble, its keyboard below
    keyboard = page.get_by_role("group", name="Keyboard from the bot")
    keyboard.get_by_role("button", name="📍 Send my location").press("Enter")
    dialog = page.get_by_role("dialog", name="Send a location")
    dialog.get_by_label("From a neighbourhood of the sample").select_option(label="Centro storico")
    citizen._act()
    dialog.get_by_role("button", name="Send location").press("Enter")

    answer = citizen.reply("The nearest Case di quartiere")
    expect(answer).to_contain_text("Casa di quartiere Catomes Tot")
    expect(answer.locator("strong").first).to_be_visible()  # the hub names are bold
    expect(page.locator("article.from-user .card").last).to_contain_text("Centro storico")
    expect(keyboard).to_be_hidden()  # a one-time keyboard goes once used
    # The picture starts at the location the citizen sent.
    page.get_by_role("log").evaluate(
        "log => { const sent = [...log.querySelectorAll('article.from-user')].pop();"
        " log.scrollTop = sent.offsetTop - log.offsetTop - 8; }"
    )
    citizen.screenshot(screenshots, "citizen-nearest-hub")
    citizen.press(answer, re.compile("^ℹ️ Casa di quartiere Catomes"))
    expect(answer).to_contain_text("Opening hours")  # the list became the hub's card
    citizen.press(answer, "📍 Map")
    expect(citizen.reply("Reggio Emilia").locator(".card.venue")).to_be_visible()

    page.get_by_role("button", name="Send a location").press("Enter")
    dialog.get_by_label("Latitude").fill("44,6975")
    dialog.get_by_label("Longitude").fill("10.6090")
    citizen._act()
    dialog.get_by_label("Longitude").press("Enter")
    expect(citizen.reply("The nearest Case di quartiere")).to_contain_text("Orologio")


def sign_up(volunteer: Chat, project: str) -> None:
    volunteer.from_menu("volunteer")
    listing = volunteer.reply("Volunteering projects")
    volunteer.press(listing, project)
    expect(listing).to_contain_text("Next shifts")  # the list became the project's card
    volunteer.press(listing, re.compile("^Join: "))
    expect(volunteer.reply("Your place is confirmed.")).to_contain_text(project)


def test_a_volunteer_signs_up_for_a_shift_and_downloads_it(
    open_chat: Any, screenshots: Path
) -> None:
    volunteer = open_chat("volunteer")
    sign_up(volunteer, "Spallanzani shared gardens")
    volunteer.screenshot(screenshots, "volunteer-signed-up")

    volunteer.say("/shifts")
    places = volunteer.reply("Spallanzani shared gardens")
    volunteer.press(places, re.compile(r"\.ics|calendar", re.IGNORECASE))
    document = volunteer.reply(".ics").locator(".card.document a.download")
    with volunteer.page.expect_download() as started:
        document.click()
    download = started.value
    assert download.suggested_filename.endswith(".ics")
    assert Path(download.path()).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


HOURS_COMMANDS = {"hours", "approve"}


def test_a_volunteer_logs_hours_and_a_tutor_approves_them(
    open_chat: Any, screenshots: Path
) -> None:
    missing = HOURS_COMMANDS - {command.name for command in COMMANDS}
    if missing:
        pytest.skip(f"the bot has no {', '.join(sorted(missing))} yet")
    volunteer = open_chat("volunteer")
    sign_up(volunteer, "Montenero shared gardens")
    volunteer.say("/hours 2h30 today orti-montenero")
    expect(volunteer.reply("Logged")).to_contain_text("2 h 30 min")

    tutor = open_chat("tutor")
    tutor.from_menu("approve")
    pending = tutor.reply("Hours to approve")
    expect(pending).to_contain_text("Marco Bianchi")
    volunteer._act()
    tutor.press(pending, re.compile("^✅ Approve"))
    expect(pending).to_contain_text("Hours to approve: none left waiting.")
    tutor.screenshot(screenshots, "tutor-approved")
    # The volunteer's page, still open, shows the bot's notice without a reload.
    expect(volunteer.reply("approved")).to_contain_text("2 h 30 min")
    volunteer.screenshot(screenshots, "volunteer-hours-approved")


@pytest.mark.parametrize(
    ("language", "hello", "spid_question", "events_button", "events_heading"),
    [
        ("it", "Ciao Giulia", "dove posso farmi aiutare con lo SPID?", "📅 Eventi", "Eventi"),
        ("en", "Hello Giulia", "Where can I get help with SPID?", "📅 Events", "events"),
    ],
)
def test_the_front_door_and_a_question_in_words(
    open_chat: Any,
    screenshots: Path,
    language: str,
    hello: str,
    spid_question: str,
    events_button: str,
    events_heading: str,
) -> None:
    citizen = open_chat("citizen", language)
    citizen.say("/start")
    door = citizen.reply(hello)
    expect(door.get_by_role("button", name=events_button)).to_be_visible()
    citizen.screenshot(screenshots, f"front-door-{language}")
    citizen.press(door, events_button)
    expect(citizen.reply(events_heading)).to_be_visible()

    citizen.say(spid_question)
    hubs = citizen.reply("Punto Comune")
    expect(hubs).to_contain_text("SPID")
    expect(hubs).to_contain_text("Casa di quartiere Orologio")
    expect(hubs).not_to_contain_text("Catomes Tot")
