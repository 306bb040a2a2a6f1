"""The /_emulator/ endpoints drive users and read back results from another process."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramServerError
from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from emulator import EmulatorServer

USER = 4004
REPO = Path(__file__).resolve().parents[2]


async def control(server: EmulatorServer, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    url = f"{server.url}/_emulator/{path}"
    async with aiohttp.ClientSession() as session, session.request(method, url, **kwargs) as reply:
        return reply.status, await reply.json()


async def test_user_writes_and_reads_the_reply(server: EmulatorServer, bot: Bot) -> None:
    status, message = await control(
        server, "POST", f"users/{USER}/text", json={"text": "/start", "language_code": "en"}
    )
    assert status == 200 and message["from"]["language_code"] == "en"

    waiting = asyncio.create_task(control(server, "GET", f"chats/{USER}/messages?after=0&wait=5"))
    await asyncio.sleep(0.05)
    await bot.send_message(USER, "Welcome")
    status, page = await waiting
    assert status == 200
    assert [item["text"] for item in page["messages"]] == ["Welcome"]
    assert page["count"] == 1


async def test_user_presses_a_button_and_the_answer_is_visible(
    server: EmulatorServer, bot: Bot
) -> None:
    await control(server, "POST", f"users/{USER}/text", json={"text": "hi"})
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Sì", callback_data="yes")]]
    )
    sent = await bot.send_message(USER, "Confirm?", reply_markup=markup)

    status, body = await control(
        server, "POST", f"users/{USER}/press", json={"message_id": sent.message_id, "label": "Sì"}
    )
    assert status == 200
    query_id = body["callback_query_id"]
    await bot.answer_callback_query(query_id, text="OK")
    assert await control(server, "GET", f"callbacks/{query_id}") == (
        200,
        {"answer": {"text": "OK"}},
    )


async def test_block_and_fail_change_what_the_bot_gets(server: EmulatorServer, bot: Bot) -> None:
    await control(server, "POST", f"users/{USER}/text", json={"text": "hi"})
    await control(
        server,
        "POST",
        "fail",
        json={"method": "sendMessage", "error_code": 500, "description": "Internal Server Error"},
    )
    with pytest.raises(TelegramServerError):
        await bot.send_message(USER, "first")

    await control(server, "POST", f"users/{USER}/block")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "second")

    status, stats = await control(server, "GET", "stats")
    assert status == 200 and stats["calls_by_method"]["sendMessage"] == 2
    status, body = await control(server, "GET", "calls?method=sendMessage")
    assert [call["error_code"] for call in body["calls"]] == [500, 403]


async def test_commands_are_listed_by_scope(server: EmulatorServer, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command="help", description="Aiuto")], language_code="it")
    status, body = await control(server, "GET", "commands?scope=default&lang=it")
    assert (status, body["commands"]) == (200, [{"command": "help", "description": "Aiuto"}])


async def test_bad_control_requests_get_400(server: EmulatorServer) -> None:
    status, body = await control(server, "POST", f"users/{USER}/text", json={"txt": "hi"})
    assert status == 400 and body["ok"] is False
    status, body = await control(server, "POST", f"users/{USER}/press", json={"message_id": 1})
    assert status == 400


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
async def test_module_runs_as_a_server_until_terminated() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator",
        "--port",
        "0",
        stderr=asyncio.subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stderr is not None
        line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        async with aiohttp.ClientSession() as session, session.get(f"{url}/_emulator/stats") as got:
            assert (await got.json())["calls"] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
