"""The front door's own answers: a greeting, thanks, and "I didn't understand" with a way on."""

from __future__ import annotations

import html

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.telegram.context import Context
from handlers.frontdoor.keyboard import front_door


def first_name(message: Message) -> str:
    return html.escape(message.from_user.first_name) if message.from_user else ""


async def greet(message: Message, ctx: Context, session: AsyncSession) -> None:
    text = _("Hello {name}! What can I do for you? Choose below, or just write it.")
    await message.answer(
        text.format(name=first_name(message)), reply_markup=await front_door(ctx, session)
    )


async def welcome_thanks(message: Message) -> None:
    await message.answer(_("You're welcome! 😊 I'm here whenever you need me."))


async def not_understood(message: Message, ctx: Context, session: AsyncSession) -> None:
    await message.answer(
        _("I didn't understand that. Send /help to see what I can do."),
        reply_markup=await front_door(ctx, session),
    )
