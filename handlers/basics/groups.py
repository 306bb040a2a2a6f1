"""Group chats: the bot only answers /start, inviting people to write to it privately."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder


async def invite_to_private_chat(message: Message, bot: Bot) -> None:
    me = await bot.me()
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Write to me"), url=f"https://t.me/{me.username}?start=group")
    await message.reply(
        _("I answer in private chats only, so that what you tell me stays between us."),
        reply_markup=builder.as_markup(),
    )


async def stay_quiet_in_groups(message: Message) -> None:
    """Anything else said in a group is not for the bot."""


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}))
    router.message.register(invite_to_private_chat, CommandStart())
    router.message.register(stay_quiet_in_groups)
    return router
