"""A persona's page of the demo's web chat in a real browser: Debian's Chromium, headless,
driven by Playwright; shared by the browser tests of this folder."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.demo_process import DemoProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
TIMEOUT_MS = 30_000

playwright = pytest.importorskip("playwright.sync_api", reason="needs the dev extra playwright")
expect = playwright.expect
expect.set_options(timeout=TIMEOUT_MS)


@contextmanager
def launched_browser() -> Iterator[Any]:
    """Chromium, headless; the test is skipped where Debian's Chromium is not installed."""
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
