"""A real aiogram Bot talks HTTP to the emulator and sees what it would see on Telegram."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from emulator import BotApiEmulator, EmulatorServer

USER = 1001


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Go", callback_data=data)]]
    )


async def raw_post(server: EmulatorServer, method: str, **kwargs: Any) -> tuple[int, Any]:
    url = f"{server.url}/bot{server.emulator.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_send_and_edit_a_message_with_an_inline_keyboard(
    server: EmulatorServer, bot: Bot
) -> None:
    server.emulator.register_user(USER)
    sent = await bot.send_message(
        USER, "<b>Shift</b> on Monday", reply_markup=keyboard("join:1"), parse_mode="HTML"
    )

    assert sent.text == "Shift on Monday"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "join:1"
    edited = await bot.edit_message_text("Joined", chat_id=USER, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.reply_markup is None
    assert server.emulator.bot_messages(USER)[0]["text"] == "Joined"
    assert server.emulator.invalid_calls == []


async def test_document_round_trip(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.register_user(USER)
    content = b"date,minutes\n2026-05-01,120\n"
    sent = await bot.send_document(
        USER, BufferedInputFile(content, filename="hours.csv"), caption="Hours"
    )

    assert sent.document is not None and sent.document.file_name == "hours.csv"
    assert sent.document.mime_type == "text/csv"
    assert server.emulator.file(sent.document.file_id).data == content
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None and downloaded.read() == content


async def test_commands_for_a_chat_and_language(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.register_user(USER)
    commands = [BotCommand(command="approve", description="Approva le ore")]
    scope = BotCommandScopeChat(chat_id=USER)
    assert await bot.set_my_commands(commands, scope=scope, language_code="it")

    stored = await bot.get_my_commands(scope=scope, language_code="it")
    assert [(item.command, item.description) for item in stored] == [("approve", "Approva le ore")]
    assert server.emulator.commands("chat", "it", chat_id=USER) == [
        {"command": "approve", "description": "Approva le ore"}
    ]


async def test_updates_carry_text_and_callback_queries(server: EmulatorServer, bot: Bot) -> None:
    emulator = server.emulator
    emulator.user_sends_text(USER, "/start", first_name="Ada")
    first = await bot.get_updates(timeout=1)
    assert first[0].message is not None and first[0].message.text == "/start"

    sent = await bot.send_message(USER, "Join?", reply_markup=keyboard("join:9"))
    query_id = emulator.user_presses(USER, sent.message_id, "join:9")
    later = await bot.get_updates(offset=first[-1].update_id + 1, timeout=1)
    query = later[0].callback_query
    assert query is not None and (query.id, query.data) == (query_id, "join:9")

    assert await bot.answer_callback_query(query.id, text="Joined")
    assert emulator.callback_answer(query_id) == {"text": "Joined"}


async def test_flood_limit_reaches_aiogram_as_retry_after() -> None:
    async with EmulatorServer(BotApiEmulator(per_chat_rate=0.25, per_chat_burst=1)) as server:
        server.emulator.register_user(USER)
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        async with Bot(server.emulator.token, session=session) as bot:
            await bot.send_message(USER, "one")
            with pytest.raises(TelegramRetryAfter) as caught:
                await bot.send_message(USER, "two")
        assert caught.value.retry_after == 4
        assert server.emulator.stats()["too_many_requests"] == 1


async def test_blocked_user_reaches_aiogram_as_forbidden(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.register_user(USER)
    server.emulator.user_blocks_bot(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hello")


async def test_malformed_html_reaches_aiogram_as_bad_request(
    server: EmulatorServer, bot: Bot
) -> None:
    server.emulator.register_user(USER)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
    assert len(server.emulator.invalid_calls) == 1


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"chat_id": str(USER), "text": "hi", "unknown": "1"}, 'unknown parameter "unknown"'),
        ({"chat_id": str(USER), "text": "x" * 4097}, "message is too long"),
        (
            {
                "chat_id": str(USER),
                "text": "hi",
                "reply_markup": json.dumps(
                    {"inline_keyboard": [[{"text": "A", "callback_data": "d" * 65}]]}
                ),
            },
            "BUTTON_DATA_INVALID",
        ),
        ({"chat_id": str(USER), "text": "<i>x</b>", "parse_mode": "HTML"}, "can't parse entities"),
    ],
)
async def test_invalid_raw_calls_get_400(
    server: EmulatorServer, form: dict[str, str], error: str
) -> None:
    server.emulator.register_user(USER)
    status, body = await raw_post(server, "sendMessage", data=form)
    assert status == 400
    assert body["ok"] is False and body["error_code"] == 400
    assert error in body["description"]


async def test_json_bodies_query_strings_and_case_insensitive_names(server: EmulatorServer) -> None:
    server.emulator.register_user(USER)
    status, body = await raw_post(server, "SendMessage", json={"chat_id": USER, "text": "json"})
    assert (status, body["result"]["text"]) == (200, "json")

    url = f"{server.url}/bot{server.emulator.token}/getme"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert (await response.json())["result"]["username"] == "quartiere_test_bot"


async def test_unknown_method_and_wrong_token(server: EmulatorServer) -> None:
    status, body = await raw_post(server, "fly")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    url = f"{server.url}/bot1:nope/getMe"
    async with aiohttp.ClientSession() as session, session.post(url) as response:
        assert response.status == 401


async def test_polling_dispatcher_answers_a_user(server: EmulatorServer, bot: Bot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Benvenuta!")

    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        server.emulator.user_sends_text(USER, "/start")
        reply = await server.emulator.wait_for_bot_message(USER, timeout=5)
        assert reply["text"] == "Benvenuta!"
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_body_that_is_not_json_is_a_bad_request(server: EmulatorServer) -> None:
    headers = {"Content-Type": "application/json"}
    status, body = await raw_post(server, "sendMessage", data=b"{not json", headers=headers)
    assert (status, body["description"]) == (400, "Bad Request: can't parse JSON body")
    assert [call.method for call in server.emulator.invalid_calls] == ["sendMessage"]
