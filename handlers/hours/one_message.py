"""/hours: logging volunteer hours in one message, or with one tap after a shift.

`/hours 2h30 ieri orti` saves at once, asking only for the project when it is not clear;
`/hours` alone starts the guided conversation of `handlers.hours.guided`.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.hours import reports as hours
from bot.services.hours.input import InputError, parse_quick
from bot.telegram.context import Context
from handlers.hours import guided as hours_flow
from handlers.hours.guided import saved_text
from handlers.hours.texts import problem_text, refusal_text
from handlers.shared.callbacks import HoursFromShift
from handlers.shared.commands import names


async def log_in_one_message(
    message: Message,
    command: CommandObject,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    await state.clear()
    rules = ctx.hours
    if not command.args:
        await hours_flow.start_guided(message, ctx, session, state)
        return
    try:
        quick = parse_quick(command.args, rules.today, rules.max_age_days)
    except InputError as error:
        await message.answer(problem_text(error.problem, rules.max_age_days))
        return
    work_date = quick.work_date or rules.today
    data: dict[str, object] = {
        "minutes": quick.minutes,
        "work_date": work_date.isoformat(),
        "quick": True,
    }
    try:
        report = await hours.log_hours(
            session,
            ctx.user_id,
            minutes=quick.minutes,
            work_date=work_date,
            project_words=quick.project_words,
            rules=rules,
        )
    except hours.HoursError as error:
        if error.reason in (hours.Refusal.CHOOSE_PROJECT, hours.Refusal.NO_SUCH_PROJECT):
            # A name that fits none, or several, of the volunteer's projects: ask, with buttons.
            await state.set_data(data)
            text = refusal_text(error, rules.max_age_days)
            await hours_flow.ask_project(message, ctx, state, error.projects, text)
            return
        if error.reason is hours.Refusal.SAME_DAY:
            project = error.projects[0]
            await hours_flow.ask_another_activity(message, ctx, state, data, project, edit=False)
            return
        await message.answer(refusal_text(error, rules.max_age_days))
        return
    await message.answer(saved_text(report, ctx.locale, ctx.default_locale))


async def log_shift_in_one_tap(
    query: CallbackQuery,
    callback_data: HoursFromShift,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        report = await hours.log_shift_hours(
            session, ctx.user_id, callback_data.shift_id, ctx.hours
        )
    except hours.HoursError as error:
        callback_answer.text = refusal_text(error, ctx.hours.max_age_days)
        callback_answer.show_alert = True
        return
    callback_answer.text = _("Saved.")
    await message.answer(saved_text(report, ctx.locale, ctx.default_locale))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(log_in_one_message, Command(*names("hours")))
    router.callback_query.register(log_shift_in_one_tap, HoursFromShift.filter())
    router.include_router(hours_flow.create_router())
    return router
