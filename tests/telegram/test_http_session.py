"""The bot's HTTP session: JSON requests, files as forms, and Telegram's refusals as before."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.runtime.app import create_bot
from emulator import EmulatorServer
from tests.support import fixtures

USER = 31


@pytest.fixture
async def served() -> AsyncIterator[tuple[EmulatorServer, Bot]]:
    async with EmulatorServer() as server:
        server.emulator.register_user(USER)
        bot = create_bot(fixtures.test_settings(telegram_api_url=server.url))
        try:
            yield server, bot
        finally:
            await bot.session.close()


KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="📍 Casa", callback_data="hub:1")]]
)


async def test_a_formatted_reply_with_buttons_reaches_the_chat_whole(
    served: tuple[EmulatorServer, Bot],
) -> None:
    server, bot = served
    sent = await bot.send_message(USER, "<b>Casa</b> è aperta", reply_markup=KEYBOARD)
    [shown] = server.emulator.bot_messages(USER)
    assert shown["text"] == "Casa è aperta"
    assert shown["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "hub:1"
    assert "link_preview_options" in server.emulator.calls_to("sendMessage")[0].params
    # What the bot gets back identifies the message; it does not repeat its buttons.
    assert sent.message_id == shown["message_id"] and sent.chat.id == USER
    assert sent.text == "Casa è aperta" and sent.reply_markup is None


async def test_a_file_still_goes_as_a_form(served: tuple[EmulatorServer, Bot]) -> None:
    server, bot = served
    document = BufferedInputFile(b"a;b\n1;2\n", filename="ore.csv")
    sent = await bot.send_document(USER, document, caption="Le tue ore")
    [shown] = server.emulator.bot_messages(USER)
    assert shown["document"]["file_name"] == "ore.csv" and shown["caption"] == "Le tue ore"
    assert sent.document is not None and sent.document.file_name == "ore.csv"


async def test_a_refusal_keeps_telegrams_description(served: tuple[EmulatorServer, Bot]) -> None:
    _, bot = served
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "<b>unclosed")
