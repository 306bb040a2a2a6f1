"""Reminders: the answers on a shift reminder, and the choice of reminders in /settings."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.numbers import format_decimal
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.volunteering import reminders
from bot.telegram.context import Context
from handlers.shared.callbacks import ReminderAnswer, ReminderOffset, SettingsAction
from handlers.volunteering.places import cancel_or_explain


def offset_label(offset: timedelta, locale: str) -> str:
    """ "24 hours before", "2 days before", "15 minutes before", in the user's language."""
    seconds = int(offset.total_seconds())
    if seconds % 86400 == 0 and seconds > 86400:
        n = seconds // 86400
        text = ngettext("{n} day before", "{n} days before", n)
    elif seconds % 3600 == 0:
        n = seconds // 3600
        text = ngettext("{n} hour before", "{n} hours before", n)
    elif seconds % 60 == 0:
        n = seconds // 60
        text = ngettext("{n} minute before", "{n} minutes before", n)
    else:
        n = seconds
        text = ngettext("{n} second before", "{n} seconds before", n)
    return text.format(n=format_decimal(n, locale=locale))


async def _drop_buttons(message: Message) -> None:
    """The answers go once answered; the map stays."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else []
    kept = [row for row in ([b for b in row if b.url] for row in rows) if row]
    with contextlib.suppress(TelegramBadRequest):  # already edited by an earlier press
        await message.edit_reply_markup(
            reply_markup=InlineKeyboardMarkup(inline_keyboard=kept) if kept else None
        )


async def coming(
    query: CallbackQuery,
    callback_data: ReminderAnswer,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        await reminders.confirm_coming(session, ctx.user_id, callback_data.shift_id, ctx.now)
    except reminders.NotComing:
        callback_answer.text = _("You have no place on this shift.")
        callback_answer.show_alert = True
        return
    callback_answer.text = _("Thank you! See you there.")
    await _drop_buttons(message)


async def not_coming(
    query: CallbackQuery,
    callback_data: ReminderAnswer,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    if not await cancel_or_explain(ctx, session, callback_data.shift_id, callback_answer):
        return
    callback_answer.text = _("Your place was cancelled. Thank you for letting us know.")
    await _drop_buttons(message)
    await message.answer(_("Your place was cancelled and offered to the next person waiting."))


def _choices_view(
    choices: list[reminders.ReminderChoice], locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for choice in choices:
        mark = "✅" if choice.chosen else "▫️"
        builder.button(
            text=f"{mark} {offset_label(choice.offset, locale)}",
            callback_data=ReminderOffset(seconds=int(choice.offset.total_seconds())),
        )
    builder.button(text=_("No reminders"), callback_data=ReminderOffset(seconds=0))
    builder.adjust(1)
    chosen = [offset_label(c.offset, locale) for c in choices if c.chosen]
    summary = ", ".join(chosen) if chosen else _("none")
    text = "\n".join(
        (
            _("<b>Reminders</b>"),
            _(
                "Before your shifts and the events you said you would come to. "
                "Tap a reminder to switch it on or off."
            ),
            _("Now: {reminders}").format(reminders=summary),
        )
    )
    return text, builder.as_markup()


async def show_choices(
    query: CallbackQuery, message: Message, ctx: Context, session: AsyncSession
) -> None:
    choices = await reminders.reminder_choices(session, ctx.user_id, ctx.reminders)
    text, markup = _choices_view(choices, ctx.locale)
    await message.answer(text, reply_markup=markup)


async def toggle_choice(
    query: CallbackQuery,
    callback_data: ReminderOffset,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        choices = await reminders.choose_reminders(
            session,
            ctx.user_id,
            toggle=callback_data.seconds or None,
            now=ctx.now,
            policy=ctx.reminders,
        )
    except reminders.UnknownOffset:
        callback_answer.text = _("This reminder is no longer offered.")
        callback_answer.show_alert = True
        return
    callback_answer.text = _("Saved.")
    text, markup = _choices_view(choices, ctx.locale)
    with contextlib.suppress(TelegramBadRequest):  # "not modified": nothing changed
        await message.edit_text(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(coming, ReminderAnswer.filter(F.answer == "yes"))
    router.callback_query.register(not_coming, ReminderAnswer.filter(F.answer == "no"))
    router.callback_query.register(show_choices, SettingsAction.filter(F.action == "reminders"))
    router.callback_query.register(toggle_choice, ReminderOffset.filter())
    return router
