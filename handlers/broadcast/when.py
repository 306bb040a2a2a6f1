"""/broadcast: when the announcement goes out (now, a quick choice, or a time written in
words) and whether it is urgent."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from babel.dates import format_time

from bot.i18n import babel_locale
from bot.services.announcements import send_time
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.broadcast import audience
from handlers.broadcast.states import Composing
from handlers.shared.callbacks import BroadcastStep


def time_problem_text(problem: send_time.Problem) -> str:
    if problem is send_time.Problem.PAST:
        return _("That time is already past: choose a later one.")
    if problem is send_time.Problem.NO_SUCH_DATE:
        return _("That day does not exist in the calendar: check the date and write it again.")
    if problem is send_time.Problem.NO_SUCH_TIME:
        return _(
            "That time does not exist (on the night the clocks go forward, 2:00 to 3:00 is "
            "skipped): write another one."
        )
    return _(
        "I could not read that time. Write it like “tomorrow at 18:00”, “Monday at 9:00”, "
        "“15 December at 10:00” or 15/12 10:00."
    )


async def ask_when(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await audience.draft_data(state, callback_answer)
    if data is None:
        return
    if not data.get("audience"):
        callback_answer.text = _("Choose at least one group first.")
        callback_answer.show_alert = True
        return
    rows = [[button(_("Now"), BroadcastStep(action="now"))]]
    rows += [
        [button(_quick_label(quick, ctx), BroadcastStep(action="at", value=_stamp(quick.moment)))]
        for quick in send_time.quick_times(ctx.now, ctx.zone)
    ]
    rows.append([button(_("At a time…"), BroadcastStep(action="later"))])
    await message.answer(_("When should it go out?"), reply_markup=markup(rows))


def _quick_label(quick: send_time.QuickTime, ctx: Context) -> str:
    at = format_time(quick.moment.astimezone(ctx.zone), "H:mm", locale=babel_locale(ctx.locale))
    if quick.quick is send_time.Quick.THIS_EVENING:
        return _("This evening at {time}").format(time=at)
    return _("Tomorrow at {time}").format(time=at)


def _stamp(moment: datetime) -> str:
    """The moment in the button itself: pressed late, it is refused as past, never moved."""
    return str(int(moment.timestamp()))


async def send_now(
    query: CallbackQuery, message: Message, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    if await audience.draft_data(state, callback_answer) is None:
        return
    await state.update_data(send_at=None)
    text, keyboard = _urgency_menu()
    await message.answer(text, reply_markup=keyboard)


async def send_at_quick_time(
    query: CallbackQuery,
    callback_data: BroadcastStep,
    message: Message,
    ctx: Context,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if await audience.draft_data(state, callback_answer) is None:
        return
    if not callback_data.value.isdigit():
        return
    moment = datetime.fromtimestamp(int(callback_data.value), UTC)
    if moment < ctx.now:
        callback_answer.text = time_problem_text(send_time.Problem.PAST)
        callback_answer.show_alert = True
        return
    await state.set_state(None)
    await state.update_data(send_at=moment.isoformat())
    text, keyboard = _urgency_menu()
    await message.answer(text, reply_markup=keyboard)


async def ask_time(
    query: CallbackQuery, message: Message, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    if await audience.draft_data(state, callback_answer) is None:
        return
    await state.set_state(Composing.time)
    await message.answer(
        _(
            "Write the day and time, e.g. “tomorrow at 18:00”, “Monday at 9:00” or "
            "15/12 10:00 (or /cancel)."
        )
    )


async def got_time(message: Message, ctx: Context, state: FSMContext) -> None:
    try:
        moment = send_time.parse_send_time(message.text or "", ctx.now, ctx.zone)
    except send_time.SendTimeError as error:
        await message.answer(time_problem_text(error.problem))
        return
    await state.set_state(None)
    await state.update_data(send_at=moment.isoformat())
    text, keyboard = _urgency_menu()
    await message.answer(text, reply_markup=keyboard)


def _urgency_menu() -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(_("🔔 Urgent"), BroadcastStep(action="urgent", value="1"))],
        [button(_("Not urgent"), BroadcastStep(action="urgent", value="0"))],
    ]
    text = _("Is it urgent? Urgent announcements also reach people who muted announcements.")
    return text, markup(rows)


def register(router: Router) -> None:
    step = BroadcastStep.filter
    not_a_command = ~F.text.startswith("/")
    router.message.register(got_time, StateFilter(Composing.time), F.text, not_a_command)
    router.callback_query.register(ask_when, step(F.action == "when"))
    router.callback_query.register(send_now, step(F.action == "now"))
    router.callback_query.register(send_at_quick_time, step(F.action == "at"))
    router.callback_query.register(ask_time, step(F.action == "later"))
