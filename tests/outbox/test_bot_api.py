"""The sender's Bot API client sorts Telegram's answers as aiogram's Bot does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from bot.outbox import bot_api as telegram_http
from bot.outbox.bot_api import TelegramHttp
from emulator import BotApiEmulator, EmulatorServer
from tests.support.process import free_port

CHAT = 77


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    running = EmulatorServer(BotApiEmulator())
    await running.start()
    running.emulator.register_user(CHAT)
    yield running
    await running.stop()


async def both_fail(
    url: str, token: str, server: EmulatorServer | None = None, fault: tuple[int, str] = (0, "")
) -> tuple[Exception, Exception]:
    """The same sendMessage through this client and through aiogram: both errors."""
    ours: Exception | None = None
    theirs: Exception | None = None
    async with TelegramHttp(url, token) as client:
        try:
            await client.send_message(CHAT, "hi")
        except telegram_http.TelegramError as error:
            ours = error
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    if server is not None and fault[0]:
        server.emulator.fail_next("sendMessage", fault[0], fault[1])
    try:
        await bot.send_message(CHAT, "hi")
    except TelegramAPIError as error:
        theirs = error
    finally:
        await bot.session.close()
    assert ours is not None and theirs is not None
    return ours, theirs


@pytest.mark.parametrize(
    ("status", "description", "ours", "aiogram"),
    [
        (
            403,
            "Forbidden: bot was blocked by the user",
            telegram_http.Forbidden,
            TelegramForbiddenError,
        ),
        (401, "Unauthorized", telegram_http.Unauthorized, TelegramUnauthorizedError),
        (502, "Bad Gateway", telegram_http.ServerError, TelegramServerError),
        (400, "Bad Request: chat not found", telegram_http.Refused, TelegramBadRequest),
    ],
)
async def test_a_refusal_is_sorted_and_worded_as_aiogram_does(
    server: EmulatorServer,
    status: int,
    description: str,
    ours: type[Exception],
    aiogram: type[Exception],
) -> None:
    server.emulator.fail_next("sendMessage", status, description)
    mine, theirs = await both_fail(server.url, server.emulator.token, server, (status, description))
    assert isinstance(mine, ours) and isinstance(theirs, aiogram)
    assert str(mine) == str(theirs)


async def test_a_429_carries_retry_after_as_aiogram_does(server: EmulatorServer) -> None:
    server.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    async with TelegramHttp(server.url, server.emulator.token) as client:
        with pytest.raises(telegram_http.RetryAfter) as ours:
            await client.send_message(CHAT, "hi")
    server.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    bot = Bot(
        server.emulator.token, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    )
    try:
        with pytest.raises(TelegramRetryAfter) as theirs:
            await bot.send_message(CHAT, "hi")
    finally:
        await bot.session.close()
    assert ours.value.retry_after == theirs.value.retry_after == 3


async def test_no_server_is_a_network_error_as_with_aiogram() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    mine, theirs = await both_fail(url, BotApiEmulator().token)
    assert isinstance(mine, telegram_http.NetworkError)
    assert isinstance(theirs, TelegramNetworkError)


async def test_a_sent_message_gives_its_id_and_the_bots_defaults(server: EmulatorServer) -> None:
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "pc:1"}]]}
    async with TelegramHttp(server.url, server.emulator.token) as client:
        message_id = await client.send_message(CHAT, "<b>hi</b>", markup)
    [call] = server.emulator.calls_to("sendMessage")
    assert call.ok
    assert call.params["parse_mode"] == "HTML"
    assert server.emulator.last_bot_message(CHAT)["message_id"] == message_id
    assert server.emulator.invalid_calls == []
