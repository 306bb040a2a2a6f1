"""The catch-all: anything no feature understood gets a short hint, never silence."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

router = Router(name=__name__)
# Callback queries from buttons no handler knows (old or forged) still get an answer.
stale_buttons = Router(name=f"{__name__}.stale")


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message) -> None:
    command = (message.text or "").split()[0].split("@")[0]
    await message.answer(
        _("I don't know the command {command}. Send /help to see what I can do.").format(
            command=html.escape(command[:64])
        )
    )


@router.message()
async def not_understood(message: Message) -> None:
    await message.answer(_("I didn't understand that. Send /help to see what I can do."))


@stale_buttons.callback_query()
async def stale_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid."), show_alert=False)
