"""A `quartiere-bot run` killed mid-announcement and restarted: everyone is served.

The admin composes the announcement in Telegram; the bot is SIGKILLed while sending it.
After the restart the sending resumes, the same progress message is kept up to date, and
the final report arrives. Only what was in flight at the kill can arrive twice.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.outbox.sender import MAX_IN_FLIGHT
from emulator import BotApiEmulator, EmulatorServer
from storage.db import create_engine, create_session_factory
from storage.models import User
from tests.support.harness import button_labels
from tests.support.process import BotProcess, bot_environment, run_cli

ADMIN = 9100
CROWD = range(30_000, 30_150)


async def add_people(database_url: str, emulator: BotApiEmulator) -> None:
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session:
        for telegram_id in CROWD:
            emulator.register_user(telegram_id, language_code="it")
            session.add(
                User(
                    telegram_id=telegram_id, telegram_locale="it", created_at=now, last_seen_at=now
                )
            )
        await session.commit()
    await engine.dispose()


def with_button(emulator: BotApiEmulator, label: str) -> dict[str, Any] | None:
    found = [m for m in emulator.bot_messages(ADMIN) if label in button_labels(m)]
    return found[-1] if found else None


async def tap(emulator: BotApiEmulator, label: str, *, then: str) -> None:
    """The admin presses `label` and waits until a button `then` is on screen."""
    await emulator.wait_until(lambda: with_button(emulator, label), timeout=30, what=label)
    message = with_button(emulator, label)
    assert message is not None
    emulator.user_presses_label(ADMIN, message["message_id"], label)
    if then:
        await emulator.wait_until(lambda: with_button(emulator, then), timeout=30, what=then)


async def compose_and_send(emulator: BotApiEmulator, text: str) -> dict[str, Any]:
    emulator.user_sends_text(ADMIN, "/broadcast", language_code="en")
    await emulator.wait_for_bot_message(ADMIN, timeout=30)
    emulator.user_sends_text(ADMIN, text, language_code="en")
    await tap(emulator, "Next: the audience ➡️", then="Everyone")
    await tap(emulator, "Everyone", then="Next: when ➡️")
    await tap(emulator, "Next: when ➡️", then="Now")
    await tap(emulator, "Now", then="Not urgent")
    await tap(emulator, "Not urgent", then="✅ Send")
    summary = with_button(emulator, "✅ Send")
    assert summary is not None
    await tap(emulator, "✅ Send", then="✖️ Cancel the sending")
    return summary


def counts(emulator: BotApiEmulator) -> list[int]:
    return [emulator.bot_message_count(person) for person in CROWD]


# Two bot processes start one after the other: on a busy machine that takes minutes.
@pytest.mark.timeout(360)
async def test_sigkill_mid_announcement_then_restart_serves_everyone(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    env = bot_environment(
        server.url,
        emulator.token,
        database_url,
        ADMIN_IDS=str(ADMIN),
        BROADCAST_RATE="20",
        OUTBOX_TICK="0.2",
        QUIET_HOURS="",  # the test may run at night
    )
    assert (await run_cli("migrate", env=env, cwd=tmp_path))[0] == 0
    await add_people(database_url, emulator)
    first = BotProcess(env, tmp_path)
    await first.start()
    await first.wait_healthy(within=120)  # a loaded machine starts Python slowly
    summary = await compose_and_send(emulator, "Notizia importante")
    await emulator.wait_until(lambda: sum(counts(emulator)) >= 30, timeout=30)
    assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
    assert sum(1 for n in counts(emulator) if n) < len(CROWD)

    second = BotProcess(env, tmp_path)
    await second.start()
    await second.wait_healthy(within=120)
    try:
        await emulator.wait_until(lambda: all(counts(emulator)), timeout=40)
        report = await emulator.wait_until(
            lambda: "is over" in emulator.last_bot_message(ADMIN).get("text", ""), timeout=20
        )
    finally:
        code = await second.stop()
    assert code == 0, second.log
    assert report is None
    assert min(counts(emulator)) == 1  # nobody skipped
    assert sum(counts(emulator)) - len(CROWD) <= MAX_IN_FLIGHT  # repeats: only the in-flight
    assert emulator.last_bot_message(ADMIN)["text"].endswith(
        "is over. Sent: 151 · failed: 0 · blocked the bot: 0 · cancelled: 0."
    )
    progress = emulator.message(ADMIN, summary["message_id"])
    assert progress is not None and "Remaining: 0" in progress["text"]  # the same message
