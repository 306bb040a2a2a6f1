"""`quartiere-bot run` as an operator runs it: against the emulator over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

import pytest

from emulator import EmulatorServer
from tests.support.process import BotProcess, bot_environment, run_cli, stop_mid_batch_and_restart


@pytest.fixture
def env(server: EmulatorServer, database_url: str) -> dict[str, str]:
    return bot_environment(server.url, server.emulator.token, database_url)


async def test_run_answers_in_the_senders_language_and_switches_on_request(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    code, _, err = await run_cli("sample-data", env=env, cwd=tmp_path)
    assert code == 0, err
    bot = BotProcess(env, tmp_path)
    await bot.start()
    try:
        assert await bot.wait_healthy() == {"database": "ok", "updates": "ok"}
        emulator = server.emulator
        emulator.user_sends_text(11, "/start", language_code="it", first_name="Giulia")
        greeting = await emulator.wait_for_bot_message(11, timeout=15)
        assert greeting["text"].startswith("Ciao Giulia!")
        emulator.user_sends_text(12, "/start", language_code="en", first_name="Sam")
        assert (await emulator.wait_for_bot_message(12, timeout=15))["text"].startswith("Hello")

        emulator.user_sends_text(11, "/language", language_code="it")
        choice = await emulator.wait_for_bot_message(11, after=1, timeout=15)
        emulator.user_presses_label(11, choice["message_id"], "🇬🇧 English")
        await emulator.wait_until(
            lambda: emulator.message(11, choice["message_id"])["text"].startswith("Language set")
        )
        emulator.user_sends_text(11, "/help", language_code="it")
        help_reply = await emulator.wait_for_bot_message(11, after=2, timeout=15)
        assert help_reply["text"].startswith("Here is what I can do:")

        menu = {c["command"]: c["description"] for c in emulator.commands("default", "it")}
        assert menu["case"] == "La Casa di quartiere più vicina"
        english = [c["command"] for c in emulator.commands("default", "en")]
        assert len(english) == len(menu) and "hubs" in english
    finally:
        assert await bot.stop() == 0, bot.log


async def test_sigterm_finishes_in_flight_updates_and_loses_none(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    emulator = server.emulator
    users = range(1000, 1040)

    async def next_poll() -> None:
        await asyncio.sleep(1.5)  # a second poll would bring any duplicate

    await stop_mid_batch_and_restart(emulator, env, tmp_path, users, next_poll)
    assert [emulator.bot_message_count(u) for u in users] == [1] * len(users)


async def test_sigkill_mid_batch_of_updates_loses_none_after_a_restart(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    """Polling confirms an update only once handled: a killed process's batch comes again."""
    emulator = server.emulator
    users = range(1100, 1160)
    bot = BotProcess(env, tmp_path)
    await bot.start()
    await bot.wait_healthy()
    for user in users:
        emulator.user_sends_text(user, "/start", language_code="en")
    await emulator.wait_until(lambda: any(emulator.bot_message_count(u) for u in users), 15)
    await bot.stop(signal.SIGKILL)
    answered_before = sum(1 for u in users if emulator.bot_message_count(u))
    again = BotProcess(env, tmp_path)
    await again.start()
    try:
        await again.wait_healthy()
        await emulator.wait_until(lambda: all(emulator.bot_message_count(u) for u in users), 30)
    finally:
        assert await again.stop() == 0, again.log
    counts = [emulator.bot_message_count(u) for u in users]
    assert min(counts) == 1
    # Only updates handled but not yet confirmed when the process died are answered twice.
    assert sum(counts) - len(users) <= answered_before


async def test_healthz_reports_a_stalled_update_source(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    bot = BotProcess({**env, "POLLING_TIMEOUT": "0"}, tmp_path)
    await bot.start()
    try:
        await bot.wait_healthy()
        server.emulator.fail_next("getUpdates", 502, "Bad Gateway", times=1000)
        await asyncio.sleep(17)
        status, body = await bot.health()
        assert (status, body) == (503, {"database": "ok", "updates": "stalled"})
    finally:
        assert await bot.stop() == 0


async def test_a_revoked_token_stops_the_bot_with_a_clear_message(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    bot = BotProcess({**env, "BOT_TOKEN": "123:revoked-token"}, tmp_path)
    await bot.start()
    code = await bot.wait_exit()
    assert code == 2
    assert "CRITICAL" in bot.log and "BOT_TOKEN" in bot.log


async def test_the_clock_of_a_running_bot_is_moved_through_clock_file(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    clock_file = tmp_path / "now.txt"
    clock_file.write_text("2026-12-08T10:30:00+01:00")  # Immacolata: hubs with PH off are closed
    env = {**env, "CLOCK_FILE": str(clock_file)}
    catalog = Path(__file__).resolve().parent.parent / "data" / "hubs.yaml"
    code, _, err = await run_cli("import", str(catalog), env=env, cwd=tmp_path)
    assert code == 0, err
    bot = BotProcess(env, tmp_path)
    await bot.start()
    emulator = server.emulator
    try:
        await bot.wait_healthy()
        emulator.user_sends_location(21, 44.6975, 10.6090, language_code="en")
        holiday = await emulator.wait_for_bot_message(21, timeout=15)
        clock_file.write_text("2026-12-09T10:30:00+01:00")
        emulator.user_sends_location(21, 44.6975, 10.6090, language_code="en")
        # after the hubs and the one question of the home quartiere
        weekday = await emulator.wait_for_bot_message(21, after=2, timeout=15)
    finally:
        code = await bot.stop()
    assert code == 0, bot.log
    assert "1. Casa di quartiere Orologio" in holiday["text"]
    assert "🔴 Closed now · opens tomorrow at 9:00" in holiday["text"].split("\n\n")[1]
    assert "🟢 Open now" in weekday["text"].split("\n\n")[1]


async def test_make_run_loads_the_sample_catalog_and_answers(
    server: EmulatorServer, tmp_path: Path
) -> None:
    """The README's command, with a token pointing at the emulator."""
    root = Path(__file__).resolve().parent.parent.parent
    env = bot_environment(
        server.url, server.emulator.token, f"sqlite+aiosqlite:///{tmp_path}/make-run.db"
    )
    process = await asyncio.create_subprocess_exec(
        "make",
        "--no-print-directory",
        "-s",
        "run",
        cwd=root,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,  # its own process group: make and the bot stop together
    )
    emulator = server.emulator
    try:
        await emulator.wait_until(
            lambda: bool(emulator.calls_to("getUpdates")) or process.returncode is not None, 90
        )
        assert process.returncode is None
        emulator.user_sends_location(31, 44.6983, 10.6312, language_code="en")
        answer = await emulator.wait_for_bot_message(31, timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
    assert answer["text"].startswith("The nearest Case di quartiere")
    assert "Catomes Tot" in answer["text"]
