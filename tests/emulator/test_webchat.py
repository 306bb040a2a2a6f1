"""The web chat's endpoints: the page, a user's whole chat, keyboards, menus, files."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from emulator import BotApiEmulator
from emulator.webchat import WebChatServer

USER, STAFF = 5005, 5006
CONFIG = {"personas": [{"key": "citizen", "user_id": USER}], "languages": [], "neighbourhoods": []}


@pytest.fixture
async def server() -> AsyncIterator[WebChatServer]:
    running = WebChatServer(BotApiEmulator(), CONFIG)
    await running.start()
    yield running
    await running.stop()
    assert running.emulator.invalid_calls == []


@pytest.fixture
async def bot(server: WebChatServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    async with Bot(server.emulator.token, session=session) as client:
        yield client


async def fetch(server: WebChatServer, path: str, **kwargs: Any) -> tuple[int, Any, bytes]:
    method = "POST" if "json" in kwargs else "GET"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, server.url + path, **kwargs) as reply,
    ):
        return reply.status, reply.headers, await reply.read()


async def chat(server: WebChatServer, user: int, query: str = "") -> dict[str, Any]:
    status, _, body = await fetch(server, f"/_webchat/chats/{user}{query}")
    assert status == 200
    snapshot: dict[str, Any] = json.loads(body)
    return snapshot


async def test_the_page_is_served_with_a_policy_that_allows_only_its_own_files(
    server: WebChatServer,
) -> None:
    status, headers, page = await fetch(server, "/")
    assert status == 200 and b'src="/static/chat.js"' in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert b"http" not in page.replace(b"http-equiv", b"")  # nothing loaded from elsewhere
    status, headers, script = await fetch(server, "/static/render.js")
    assert status == 200 and b"textContent" in script and b"innerHTML" not in script
    status, _, config = await fetch(server, "/_webchat/config")
    assert status == 200 and b'"citizen"' in config


async def test_the_chat_shows_both_sides_and_waits_for_the_next_change(
    server: WebChatServer, bot: Bot
) -> None:
    server.emulator.user_sends_text(USER, "/start")
    await bot.send_message(USER, "<b>Ciao</b> &amp; benvenuta", parse_mode="HTML")
    first = await chat(server, USER)
    assert [(m["from_bot"], m["message"]["text"]) for m in first["messages"]] == [
        (False, "/start"),
        (True, "Ciao & benvenuta"),
    ]
    assert first["messages"][1]["message"]["entities"][0]["type"] == "bold"

    waiting = asyncio.create_task(chat(server, USER, f"?revision={first['revision']}&wait=5"))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    sent = first["messages"][1]["message"]
    await bot.delete_message(USER, sent["message_id"])
    after = await asyncio.wait_for(waiting, 5)
    assert [m["message"]["text"] for m in after["messages"]] == ["/start"]


async def test_a_one_time_keyboard_hides_once_the_user_answers(
    server: WebChatServer, bot: Bot
) -> None:
    server.emulator.user_sends_text(USER, "/hubs")
    button = KeyboardButton(text="📍 Send my location", request_location=True)
    keyboard = ReplyKeyboardMarkup(keyboard=[[button]], one_time_keyboard=True)
    await bot.send_message(USER, "Where are you?", reply_markup=keyboard)
    shown = (await chat(server, USER))["reply_keyboard"]
    assert shown["keyboard"][0][0]["request_location"] is True
    server.emulator.user_sends_location(USER, 44.6983, 10.6312)
    assert (await chat(server, USER))["reply_keyboard"] is None


async def test_the_menu_follows_the_users_language_and_staff_scope(
    server: WebChatServer, bot: Bot
) -> None:
    server.emulator.register_user(STAFF, language_code="it")
    await bot.set_my_commands([BotCommand(command="hubs", description="Case")], language_code="it")
    await bot.set_my_commands([BotCommand(command="hubs", description="Hubs")], language_code="en")
    staff_menu = [BotCommand(command="approve", description="Approva")]
    await bot.set_my_commands(
        staff_menu, scope=BotCommandScopeChat(chat_id=STAFF), language_code="it"
    )
    assert [c["command"] for c in (await chat(server, STAFF))["commands"]] == ["approve"]
    server.emulator.register_user(USER, language_code="it")
    assert (await chat(server, USER))["commands"][0]["description"] == "Case"
    status, _, _ = await fetch(
        server, f"/_webchat/users/{USER}/language", json={"language_code": "en"}
    )
    assert status == 200
    assert (await chat(server, USER))["commands"][0]["description"] == "Hubs"


async def test_documents_download_with_their_name_and_photos_show_inline(
    server: WebChatServer, bot: Bot
) -> None:
    server.emulator.user_sends_text(USER, "/shifts")
    calendar = BufferedInputFile(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "turni.ics")
    document = await bot.send_document(USER, calendar)
    assert document.document is not None
    status, headers, body = await fetch(server, f"/_webchat/files/{document.document.file_id}")
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert headers["Content-Type"].startswith("text/calendar")
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''turni.ics"

    photo = await bot.send_photo(USER, BufferedInputFile(b"\x89PNG\r\n\x1a\n", "chart.png"))
    assert photo.photo is not None
    status, headers, _ = await fetch(server, f"/_webchat/files/{photo.photo[-1].file_id}")
    assert status == 200 and headers["Content-Disposition"].startswith("inline")
    assert (await fetch(server, "/_webchat/files/unknown"))[0] == 404


async def test_a_pressed_button_waits_for_the_bots_answer(server: WebChatServer, bot: Bot) -> None:
    server.emulator.user_sends_text(USER, "/start")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Sì", callback_data="y")]]
    )
    sent = await bot.send_message(USER, "Confirm?", reply_markup=markup)
    query_id = server.emulator.user_presses(USER, sent.message_id, "y")
    waiting = asyncio.create_task(fetch(server, f"/_webchat/callbacks/{query_id}?wait=5"))
    await asyncio.sleep(0.1)
    await bot.answer_callback_query(query_id, text="Fatto", show_alert=True)
    status, _, body = await asyncio.wait_for(waiting, 5)
    assert status == 200 and b'"Fatto"' in body and b'"show_alert": true' in body
