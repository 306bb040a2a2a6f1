"""The one question "which quartiere do you live in?", after a first location or place.

Asked once per person (bot/services/people/quartiere_question.py); the answer is the home
quartiere that /settings shows and changes.
"""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import quartiere_question, users
from bot.telegram.context import Context
from bot.telegram.editing import edit_markup, edit_text
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup

PAGE_SIZE = 10


class QuartiereAnswer(CallbackData, prefix="hqa"):
    quartiere_id: int  # 0: skipped


class QuartiereQuestionPage(CallbackData, prefix="hqb"):
    page: int
    first: int  # the quartiere guessed from the location, listed first; 0 for none


async def ask_quartiere_once(
    message: Message, ctx: Context, session: AsyncSession, *, near: str | None = None
) -> None:
    """Asks, in a message of its own, unless this person was asked before."""
    question = await quartiere_question.ask_once(session, ctx.user_id, ctx.now, near=near)
    if question is None:
        return
    await message.answer(
        _("Which quartiere do you live in? It is for the announcements about your quartiere."),
        reply_markup=_keyboard(question, 0),
    )


def _keyboard(question: quartiere_question.Question, page: int) -> InlineKeyboardMarkup:
    """One page of quartieri, two a row, the guessed one first with 📍; ◀️ ▶️; Skip."""
    choices = question.choices
    pages = max(1, -(-len(choices) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = [
        button(
            f"📍 {choice.name}" if choice.id == question.guessed else choice.name,
            QuartiereAnswer(quartiere_id=choice.id),
        )
        for choice in choices[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    first = question.guessed or 0
    navigation = []
    if page > 0:
        navigation.append(button("◀️", QuartiereQuestionPage(page=page - 1, first=first)))
    if page < pages - 1:
        navigation.append(button("▶️", QuartiereQuestionPage(page=page + 1, first=first)))
    skip = [button(_("Skip"), QuartiereAnswer(quartiere_id=0))]
    return markup([*in_rows(shown, 2), navigation, skip])


async def turn_page(
    query: CallbackQuery,
    callback_data: QuartiereQuestionPage,
    message: Message,
    session: AsyncSession,
) -> None:
    question = await quartiere_question.question(session, callback_data.first or None)
    await edit_markup(message, _keyboard(question, callback_data.page))


async def answer(
    query: CallbackQuery,
    callback_data: QuartiereAnswer,
    message: Message,
    session: AsyncSession,
    profiles: users.ProfileCache,
    callback_answer: CallbackAnswer,
) -> None:
    if not callback_data.quartiere_id:  # skipped: nothing is stored
        await edit_text(
            message, _("All right, no quartiere saved. You can choose one later in /settings.")
        )
        return
    try:
        name = await users.choose_home_quartiere(
            session, query.from_user.id, callback_data.quartiere_id, profiles
        )
    except users.UnknownQuartiere:
        callback_answer.text = _("That quartiere is no longer in the catalogue.")
        callback_answer.show_alert = True
        return
    assert name is not None
    await edit_text(
        message,
        _(
            "Done: your quartiere is {quartiere}. You can change it at any time in /settings."
        ).format(quartiere=html.escape(name)),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(answer, QuartiereAnswer.filter())
    router.callback_query.register(turn_page, QuartiereQuestionPage.filter())
    return router
