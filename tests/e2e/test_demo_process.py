"""The local demo as a person starts it, without a browser: `quartiere-bot demo`, `make run`."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from tests.e2e.demo_process import DemoProcess, demo_environment

ROOT = Path(__file__).resolve().parent.parent.parent
CITIZEN, VOLUNTEER, TUTOR, ADMIN = 7001, 7002, 7003, 7004


def chat(demo: DemoProcess, user: int, revision: int = -1, wait: float = 0) -> dict[str, Any]:
    snapshot: dict[str, Any] = demo.get_json(
        f"/_webchat/chats/{user}?revision={revision}&wait={wait}"
    )
    return snapshot


def bot_texts_after(demo: DemoProcess, user: int, count: int, within: float = 30) -> list[str]:
    """The texts of the bot's messages once it has sent at least `count` of them."""
    deadline = time.monotonic() + within
    revision = -1
    while True:
        snapshot = chat(demo, user, revision, wait=5)
        texts = [m["message"].get("text", "") for m in snapshot["messages"] if m["from_bot"]]
        if len(texts) >= count or time.monotonic() > deadline:
            return texts
        revision = snapshot["revision"]


def test_demo_prints_its_address_serves_the_page_and_runs_the_real_bot(tmp_path: Path) -> None:
    leftover = tmp_path / "data" / "demo" / "demo.db"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"not a database: the previous demo's file is replaced")
    untouched = tmp_path / "production.db"
    env = demo_environment(DATABASE_URL=f"sqlite+aiosqlite:///{untouched}")
    demo = DemoProcess.cli(env, tmp_path)
    try:
        url = demo.wait_address(within=90)
        assert url == f"http://{env['DEMO_LISTEN']}/"
        status, headers, page = demo.get("/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert b'<script type="module" src="/static/chat.js">' in page
        for name, kind in [
            ("chat.js", "javascript"),
            ("render.js", "javascript"),
            ("strings.js", "javascript"),
            ("chat.css", "text/css"),
        ]:
            status, headers, body = demo.get(f"/static/{name}")
            assert status == 200 and kind in headers["Content-Type"] and body, name
        config = demo.get_json("/_webchat/config")
        assert [p["key"] for p in config["personas"]] == ["citizen", "volunteer", "tutor", "admin"]
        assert "Centro storico" in [place["name"] for place in config["neighbourhoods"]]

        demo.post_json(
            f"/_emulator/users/{CITIZEN}/text", {"text": "/start", "language_code": "en"}
        )
        assert bot_texts_after(demo, CITIZEN, 1)[0].startswith("Hello Giulia")
        tutor_menu = [c["command"] for c in chat(demo, TUTOR)["commands"]]
        citizen_menu = [c["command"] for c in chat(demo, CITIZEN)["commands"]]
        assert "volunteer" in citizen_menu and "approve" not in citizen_menu
        # The tutor's Telegram is in Italian: the menu names the commands in Italian.
        assert {"volontariato", "approva"} <= set(tutor_menu)
    finally:
        code = demo.stop(signal.SIGINT)  # Ctrl-C
    assert code == 0, demo.log
    assert demo.output == [f"Demo: open {url} in your browser"]
    assert demo.ready_after < 60, f"the address came after {demo.ready_after:.1f}s"
    assert not untouched.exists()
    assert "stopped" in demo.log


def test_make_run_without_a_token_explains_how_to_get_one_then_starts_the_demo() -> None:
    # As typed in a shell: not a sub-make of the `make test` that may be running this.
    env = {
        key: value
        for key, value in demo_environment().items()
        if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    demo = DemoProcess(["make", "--no-print-directory", "-s", "run"], env, ROOT)
    try:
        url = demo.wait_address(within=120)
        snapshot = chat(demo, ADMIN)
    finally:
        demo.stop(signal.SIGTERM)  # make itself dies of the signal; the demo stops cleanly
    lines = demo.log.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("BOT_TOKEN is not set."))
    paragraph = " ".join(lines[first : first + 4])
    assert "INFO" not in paragraph  # said before the demo starts logging
    assert "@BotFather" in paragraph and "/newbot" in paragraph
    assert "BOT_TOKEN=123456:ABC... make run" in paragraph
    assert demo.output == [f"Demo: open {url} in your browser"]
    assert url == f"http://{env['DEMO_LISTEN']}/"
    assert snapshot["revision"] >= 0
    assert "stopped" in demo.log


def _bot_messages(demo: DemoProcess, user: int, count: int, within: float = 30) -> list[Any]:
    deadline = time.monotonic() + within
    revision = -1
    while True:
        snapshot = chat(demo, user, revision, wait=5)
        found = [m["message"] for m in snapshot["messages"] if m["from_bot"]]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        revision = snapshot["revision"]


def test_the_demo_opens_with_the_front_door_and_follows_clock_file(tmp_path: Path) -> None:
    clock_file = tmp_path / "now.txt"
    clock_file.write_text("2028-03-01T10:00:00+01:00")
    demo = DemoProcess.cli(demo_environment(CLOCK_FILE=str(clock_file)), tmp_path)
    try:
        demo.wait_address(within=90)
        send = f"/_emulator/users/{CITIZEN}/text"
        demo.post_json(send, {"text": "/start", "language_code": "en"})
        [door] = _bot_messages(demo, CITIZEN, 1)
        labels = [b["text"] for row in door["reply_markup"]["inline_keyboard"] for b in row]
        assert labels[:2] == ["📍 Nearest hub", "🧰 Find a service"]
        # The sample's events are dated from the demo's clock, which CLOCK_FILE sets.
        demo.post_json(send, {"text": "/eventi", "language_code": "it"})
        events = _bot_messages(demo, CITIZEN, 2)[-1]
        assert "marzo" in events["text"]  # March 2028, whatever the real date
    finally:
        code = demo.stop(signal.SIGINT)
    assert code == 0, demo.log
