"""`quartiere-bot run` in webhook mode, and /metrics in both modes, as an operator runs it."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.runtime.webhook import SECRET_HEADER
from emulator import EmulatorServer
from tests.support.process import (
    BotProcess,
    bot_environment,
    free_port,
    run_cli,
    stop_mid_batch_and_restart,
)

SECRET = "e2e_webhook-Secret"
# Each test starts one or two bot processes.
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def env(server: EmulatorServer, database_url: str) -> dict[str, str]:
    port = free_port()
    # The emulator stands for a self-hosted Bot API server, which delivers over plain HTTP.
    return bot_environment(
        server.url,
        server.emulator.token,
        database_url,
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )


async def scrape(bot: BotProcess) -> str:
    url = bot.health_url.replace("/healthz", "/metrics")
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return await response.text()


async def test_webhook_mode_registers_answers_and_stops_cleanly(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    emulator = server.emulator
    bot = BotProcess(env, tmp_path)
    await bot.start()
    try:
        assert await bot.wait_healthy() == {"database": "ok", "updates": "ok"}
        info = emulator.webhook_info()
        assert info["url"] == env["WEBHOOK_BASE_URL"] + "/telegram/webhook"
        assert not emulator.calls_to("getUpdates")
        emulator.user_sends_text(51, "/start", language_code="en", first_name="Sam")
        greeting = await emulator.wait_for_bot_message(51, timeout=15)
        assert greeting["text"].startswith("Hello Sam!")

        async with aiohttp.ClientSession() as client:
            update = {"update_id": 999, "message": greeting}
            async with client.post(info["url"], json=update) as response:
                assert response.status == 401
            headers = {SECRET_HEADER: "wrong"}
            async with client.post(info["url"], json=update, headers=headers) as response:
                assert response.status == 401

        figures = await scrape(bot)
        assert 'quartiere_updates_total{type="message"} 1.0' in figures
        assert "quartiere_handler_latency_seconds_count 1.0" in figures
        assert 'quartiere_outbox_deliveries{status="pending"} 0.0' in figures
    finally:
        assert await bot.stop() == 0, bot.log
    assert "stopped" in bot.log
    # The webhook stays: Telegram keeps what arrives while the bot is down.
    assert emulator.webhook_info()["url"] == info["url"]
    assert emulator.bot_message_count(51) == 1


async def test_sigterm_in_webhook_mode_loses_no_update_and_repeats_none(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    emulator = server.emulator
    users = range(5000, 5030)

    async def all_confirmed() -> None:
        await emulator.wait_until(lambda: emulator.webhook_info()["pending_update_count"] == 0)

    await stop_mid_batch_and_restart(emulator, env, tmp_path, users, all_confirmed)
    assert [emulator.bot_message_count(u) for u in users] == [1] * len(users)


async def test_a_revoked_token_stops_webhook_mode_with_a_clear_message(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    bot = BotProcess({**env, "BOT_TOKEN": "123:revoked-token"}, tmp_path)
    await bot.start()
    assert await bot.wait_exit() == 2
    assert "CRITICAL" in bot.log and "BOT_TOKEN" in bot.log


async def test_webhook_mode_without_a_secret_does_not_start(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, _, err = await run_cli("run", env={**env, "WEBHOOK_SECRET": ""}, cwd=tmp_path)
    assert code == 1
    assert "WEBHOOK_SECRET" in err


async def test_polling_mode_serves_metrics_beside_healthz(
    server: EmulatorServer, env: dict[str, str], tmp_path: Path
) -> None:
    polling = {key: value for key, value in env.items() if not key.startswith("WEBHOOK_")}
    bot = BotProcess(polling, tmp_path)
    await bot.start()
    emulator = server.emulator
    try:
        assert await bot.wait_healthy() == {"database": "ok", "updates": "ok"}
        assert await scrape(bot) != ""
        emulator.user_sends_text(61, "/help", language_code="en")
        await emulator.wait_for_bot_message(61, timeout=15)
        message = emulator.bot_messages(61)[0]
        emulator.user_sends_callback(61, "no-such-button", message_id=message["message_id"])
        await emulator.wait_until(lambda: not emulator.unanswered_callback_queries(), 15)
        figures = await scrape(bot)
    finally:
        assert await bot.stop() == 0, bot.log
    assert 'quartiere_updates_total{type="message"} 1.0' in figures
    assert 'quartiere_updates_total{type="callback_query"} 1.0' in figures
    assert "quartiere_handler_latency_seconds_count 2.0" in figures
