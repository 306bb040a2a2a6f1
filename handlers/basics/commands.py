"""First contact and the basics: /start, /help, /cancel (/privacy: handlers/privacy/rights.py)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.telegram.context import Context
from handlers.basics.menu import commands_for
from handlers.frontdoor.keyboard import front_door
from handlers.frontdoor.replies import first_name
from handlers.shared.commands import local_name, names


def help_text() -> str:
    locale = get_i18n().current_locale
    lines = [_("Here is what I can do:")]
    lines += [f"/{local_name(c.name, locale)} – {c.description}" for c in commands_for()]
    return "\n".join(lines)


async def start(message: Message, ctx: Context, session: AsyncSession, state: FSMContext) -> None:
    """Two lines and the front door's buttons; /help keeps the full list of commands."""
    await state.clear()
    greeting = _(
        "Hello {name}! I am the assistant of the Case di quartiere, the community hubs "
        "of the city, and of its civic volunteering programme."
    ).format(name=first_name(message))
    invitation = _("What do you need? Choose below or write it in your words. Privacy: /privacy")
    await message.answer(f"{greeting}\n{invitation}", reply_markup=await front_door(ctx, session))


async def show_help(message: Message) -> None:
    await message.answer(help_text())


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel."), reply_markup=ReplyKeyboardRemove())
        return
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved."), reply_markup=ReplyKeyboardRemove())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command(*names("help")))
    router.message.register(cancel, Command(*names("cancel")))
    return router
