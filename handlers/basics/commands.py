"""First contact and the basics: /start, /help, /cancel (/privacy: handlers/privacy/rights.py)."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from handlers.basics.menu import commands_for


def help_text() -> str:
    lines = [_("Here is what I can do:")]
    lines += [f"/{c.name} – {c.description}" for c in commands_for()]
    return "\n".join(lines)


async def start(message: Message, state: FSMContext) -> None:
    await state.clear()
    name = html.escape(message.from_user.first_name) if message.from_user else ""
    greeting = _(
        "Hello {name}! I am the assistant of the Case di quartiere, the community hubs "
        "of the city, and of its civic volunteering programme."
    ).format(name=name)
    privacy = _(
        "I keep only what I need to serve you (your language, your choices) and never your "
        "location. Details: /privacy"
    )
    await message.answer(f"{greeting}\n\n{help_text()}\n\n<i>{privacy}</i>")


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
    router.message.register(show_help, Command("help"))
    router.message.register(cancel, Command("cancel"))
    return router
