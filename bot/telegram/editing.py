"""Editing the message a button was pressed on, where pressing it twice changes nothing.

Telegram refuses an edit that leaves a message as it was ("message is not modified"): a
double tap, an old button pressed again, or a forged press must not turn into an error.
"""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, Message

_UNCHANGED = "message is not modified"


async def edit_text(
    message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    try:
        await message.edit_text(text, reply_markup=reply_markup)
    except TelegramBadRequest as error:
        if _UNCHANGED not in error.message:
            raise


async def edit_markup(message: Message, reply_markup: InlineKeyboardMarkup | None) -> None:
    try:
        await message.edit_reply_markup(reply_markup=reply_markup)
    except TelegramBadRequest as error:
        if _UNCHANGED not in error.message:
            raise
