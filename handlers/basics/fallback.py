"""The catch-all: anything no feature understood gets a short hint, never silence."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _


async def unknown_command(message: Message) -> None:
    command = (message.text or "").split()[0].split("@")[0]
    await message.answer(
        _("I don't know the command {command}. Send /help to see what I can do.").format(
            command=html.escape(command[:64])
        )
    )


async def not_understood(message: Message) -> None:
    await message.answer(_("I didn't understand that. Send /help to see what I can do."))


async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This button is no longer valid.")
    callback_answer.show_alert = False


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(not_understood)
    return router


def create_stale_buttons_router() -> Router:
    router = Router(name=f"{__name__}.stale")
    router.callback_query.register(stale_button)
    return router
