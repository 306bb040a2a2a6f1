"""The guided /hours conversation: project (skipped when there is one), day, duration,
an optional note, then what will be saved, to confirm.

Nothing is saved before the last step; /cancel leaves at any point.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import day_text, duration_text, pick
from bot.services.hours import reports as hours
from bot.services.hours.input import (
    InputError,
    check_note,
    check_work_date,
    read_date,
    read_duration,
)
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.hours.texts import problem_text, project_text, refusal_text
from handlers.shared.callbacks import HoursDay, HoursProject, HoursStep


class HoursFlow(StatesGroup):
    project = State()
    day = State()
    duration = State()
    note = State()
    confirm = State()


def saved_text(report: hours.Report, locale: str, default: str) -> str:
    text = _("✅ Logged {hours} for <b>{title}</b> on {day}.").format(
        hours=duration_text(report.minutes, locale),
        title=project_text(report.project, locale, default),
        day=day_text(report.work_date, locale),
    )
    if report.shift_id is not None:
        text += " " + _("They are linked to your shift of that day.")
    return text + "\n" + _("A tutor of the project will approve them. Your hours: /myhours")


async def start_guided(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    try:
        projects = await hours.my_projects(session, ctx.user_id)
    except hours.HoursError as error:
        await message.answer(refusal_text(error, ctx.hours.max_age_days))
        return
    if len(projects) == 1:
        await state.set_data({"project_id": projects[0].id})
        await _ask_day(message, state, edit=False)
        return
    await ask_project(message, ctx, state, projects)


async def ask_project(
    message: Message,
    ctx: Context,
    state: FSMContext,
    projects: Sequence[hours.ProjectChoice],
    text: str | None = None,
) -> None:
    await state.set_state(HoursFlow.project)
    buttons = [
        button(
            pick(p.title, ctx.locale, ctx.default_locale) or p.code, HoursProject(project_id=p.id)
        )
        for p in projects
    ]
    await message.answer(
        text or _("Which project are these hours for?"), reply_markup=markup(in_rows(buttons, 1))
    )


async def ask_another_activity(
    message: Message,
    ctx: Context,
    state: FSMContext,
    data: dict[str, object],
    project: hours.ProjectChoice,
    *,
    edit: bool,
) -> None:
    """A second report for the same project and day: saved only once the volunteer says
    it is another activity, not the same one sent twice."""
    await state.set_data({**data, "project_id": project.id, "another": True})
    await state.set_state(HoursFlow.confirm)
    text = _(
        "You have already logged hours for <b>{title}</b> on {day}. "
        "Are these {hours} for another activity?"
    ).format(
        title=project_text(project, ctx.locale, ctx.default_locale),
        day=day_text(date.fromisoformat(str(data["work_date"])), ctx.locale),
        hours=duration_text(int(str(data["minutes"])), ctx.locale),
    )
    buttons = markup(
        [
            [
                button(_("➕ Yes, log them too"), HoursStep(action="save")),
                button(_("No, cancel"), HoursStep(action="drop")),
            ]
        ]
    )
    if edit:
        await message.edit_text(text, reply_markup=buttons)
    else:
        await message.answer(text, reply_markup=buttons)


async def got_project(
    query: CallbackQuery,
    callback_data: HoursProject,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    await state.update_data(project_id=callback_data.project_id)
    if not data.get("quick"):
        await _ask_day(message, state, edit=True)
        return
    await state.clear()
    await _save(message, ctx, session, {**data, "project_id": callback_data.project_id}, state)


def _day_markup() -> InlineKeyboardMarkup:
    return markup(
        [
            [
                button(_("Today"), HoursDay(choice="today")),
                button(_("Yesterday"), HoursDay(choice="yesterday")),
            ],
            [button(_("Another day"), HoursDay(choice="other"))],
        ]
    )


async def _ask_day(message: Message, state: FSMContext, *, edit: bool) -> None:
    await state.set_state(HoursFlow.day)
    text = _("Which day? Choose, or write the date (YYYY-MM-DD or DD/MM).")
    if edit:
        await message.edit_text(text, reply_markup=_day_markup())
    else:
        await message.answer(text, reply_markup=_day_markup())


async def got_day_choice(
    query: CallbackQuery,
    callback_data: HoursDay,
    message: Message,
    ctx: Context,
    state: FSMContext,
) -> None:
    if callback_data.choice == "other":
        await message.edit_text(_("Write the date: YYYY-MM-DD or DD/MM, e.g. 28/11."))
        return
    rules = ctx.hours
    day = rules.today - timedelta(days=1 if callback_data.choice == "yesterday" else 0)
    try:
        check_work_date(day, rules.today, rules.max_age_days)
    except InputError as error:
        await message.answer(problem_text(error.problem, rules.max_age_days))
        return
    await _ask_duration(message, state, day, edit=True)


async def got_typed_day(message: Message, ctx: Context, state: FSMContext) -> None:
    rules = ctx.hours
    try:
        day = read_date(message.text or "", rules.today, rules.max_age_days)
    except InputError as error:
        await message.answer(problem_text(error.problem, rules.max_age_days))
        return
    await _ask_duration(message, state, day, edit=False)


async def _ask_duration(message: Message, state: FSMContext, day: date, *, edit: bool) -> None:
    await state.update_data(work_date=day.isoformat())
    await state.set_state(HoursFlow.duration)
    text = _("How long? For example 2, 2.5, 2h30, 90m or 1:30.")
    if edit:
        await message.edit_text(text)
    else:
        await message.answer(text)


async def got_duration(message: Message, ctx: Context, state: FSMContext) -> None:
    try:
        minutes = read_duration(message.text or "")
    except InputError as error:
        await message.answer(problem_text(error.problem, ctx.hours.max_age_days))
        return
    await state.update_data(minutes=minutes)
    await state.set_state(HoursFlow.note)
    await message.answer(
        _("A short note for your tutor (what you did)? Write it, or skip."),
        reply_markup=markup([[button(_("Skip"), HoursStep(action="skip"))]]),
    )


async def got_note(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    try:
        note = check_note(message.text or "")
    except InputError as error:
        await message.answer(problem_text(error.problem, ctx.hours.max_age_days))
        return
    await state.update_data(note=note)
    await _ask_confirmation(message, ctx, session, state, edit=False)


async def skipped_note(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    await state.update_data(note=None)
    await _ask_confirmation(message, ctx, session, state, edit=True)


async def _ask_confirmation(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    *,
    edit: bool,
) -> None:
    data = await state.get_data()
    await state.set_state(HoursFlow.confirm)
    locale = ctx.locale
    try:
        projects = {p.id: p for p in await hours.my_projects(session, ctx.user_id)}
    except hours.HoursError:
        projects = {}
    project = projects.get(int(data["project_id"]))
    lines = [
        _("<b>Log these hours?</b>"),
        _("Project: {title}").format(
            title=project_text(project, locale, ctx.default_locale) if project else "?"
        ),
        _("Day: {day}").format(day=day_text(date.fromisoformat(str(data["work_date"])), locale)),
        _("Duration: {hours}").format(hours=duration_text(int(data["minutes"]), locale)),
    ]
    if data.get("note"):
        lines.append(_("Note: {note}").format(note=html.escape(str(data["note"]))))
    buttons = markup(
        [
            [
                button(_("✅ Save"), HoursStep(action="save")),
                button(_("Cancel"), HoursStep(action="drop")),
            ]
        ]
    )
    if edit:
        await message.edit_text("\n".join(lines), reply_markup=buttons)
    else:
        await message.answer("\n".join(lines), reply_markup=buttons)


async def confirmed(
    query: CallbackQuery,
    callback_data: HoursStep,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    await state.clear()
    if callback_data.action != "save":
        await message.edit_text(_("Cancelled. Nothing was saved."))
        return
    await _save(message, ctx, session, data, state)


async def _save(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    data: dict[str, object],
    state: FSMContext | None = None,
) -> None:
    """The last step: saves what the conversation gathered, and edits its message."""
    try:
        report = await hours.log_hours(
            session,
            ctx.user_id,
            minutes=int(str(data["minutes"])),
            work_date=date.fromisoformat(str(data["work_date"])),
            project_id=int(str(data["project_id"])),
            note=str(data["note"]) if data.get("note") else None,
            rules=ctx.hours,
            another_activity=bool(data.get("another")),
        )
    except hours.HoursError as error:
        if error.reason is hours.Refusal.SAME_DAY and state is not None:
            await ask_another_activity(message, ctx, state, data, error.projects[0], edit=True)
            return
        await message.edit_text(refusal_text(error, ctx.hours.max_age_days))
        return
    await message.edit_text(saved_text(report, ctx.locale, ctx.default_locale))


async def use_the_buttons(message: Message) -> None:
    await message.answer(_("Please answer with the buttons above, or send /cancel."))


def create_router() -> Router:
    router = Router(name=__name__)
    typed = (F.text, ~F.text.startswith("/"))
    router.callback_query.register(
        got_project, StateFilter(HoursFlow.project), HoursProject.filter()
    )
    router.callback_query.register(got_day_choice, StateFilter(HoursFlow.day), HoursDay.filter())
    router.message.register(got_typed_day, StateFilter(HoursFlow.day), *typed)
    router.message.register(got_duration, StateFilter(HoursFlow.duration), *typed)
    router.message.register(got_note, StateFilter(HoursFlow.note), *typed)
    router.callback_query.register(
        skipped_note, StateFilter(HoursFlow.note), HoursStep.filter(F.action == "skip")
    )
    router.callback_query.register(
        confirmed, StateFilter(HoursFlow.confirm), HoursStep.filter(F.action.in_({"save", "drop"}))
    )
    router.message.register(
        use_the_buttons, StateFilter(HoursFlow.project, HoursFlow.confirm), *typed
    )
    return router
