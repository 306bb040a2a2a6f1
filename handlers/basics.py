"""First contact and the basics: /start, /help, /privacy, /cancel."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from handlers.menu import commands_for


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


async def show_privacy(message: Message) -> None:
    await message.answer(
        "\n\n".join(
            (
                _("<b>Privacy</b>"),
                _(
                    "<b>Who:</b> the City of Reggio Emilia, as data controller, processes "
                    "your data to run this service."
                ),
                _(
                    "<b>What and why:</b> your Telegram id and language, to answer you in "
                    "your language; the home quartiere you choose, to suggest what is near "
                    "you. A location you send is used for that one answer and never stored."
                ),
                _(
                    "<b>Volunteers:</b> the volunteer register keeps your name, date of "
                    "birth, phone number and residence, your consent, the shifts you take "
                    "and your attendance, as the city's regulation on civic volunteering "
                    "requires; the tutors of your projects see your phone number."
                ),
                _(
                    "<b>Legal basis:</b> a task in the public interest (the city's "
                    "collaborative-governance programme)."
                ),
                _(
                    "<b>How long:</b> as long as you use the service; settings you no longer "
                    "need are removed when you ask."
                ),
                _(
                    "<b>Your rights:</b> you may ask to see, correct or erase your data, or "
                    "object to its processing, by writing to the city's data protection "
                    "officer, and you may complain to the Italian data protection authority "
                    "(Garante)."
                ),
            )
        )
    )


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
    router.message.register(show_privacy, Command("privacy"))
    router.message.register(cancel, Command("cancel"))
    return router
