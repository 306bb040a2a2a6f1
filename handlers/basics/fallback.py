"""The catch-all: free text is read for what it asks; anything else gets the front door."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.telegram.context import Context
from handlers.frontdoor.free_text import understand_text
from handlers.frontdoor.keyboard import front_door
from handlers.frontdoor.replies import not_understood


async def unknown_command(message: Message, ctx: Context, session: AsyncSession) -> None:
    command = (message.text or "").split()[0].split("@")[0]
    await message.answer(
        _("I don't know the command {command}. Send /help to see what I can do.").format(
            command=html.escape(command[:64])
        ),
        reply_markup=await front_door(ctx, session),
    )


async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This button is no longer valid.")
    callback_answer.show_alert = False


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, F.text.startswith("/"))
    # Inside a conversation its own steps read the text; what they left is not a question.
    router.message.register(understand_text, F.text, StateFilter(None))
    router.message.register(not_understood)
    return router


def create_stale_buttons_router() -> Router:
    router = Router(name=f"{__name__}.stale")
    router.callback_query.register(stale_button)
    return router
