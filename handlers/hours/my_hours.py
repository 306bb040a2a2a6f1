"""/myhours: a volunteer's approved and pending hours, and the reports still to correct.

A pending report can be corrected (duration, and day if it changed, written as after
/hours) or withdrawn; the certificate button opens the certificate's own menu.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import day_text, duration_text
from bot.services.hours import reports as hours
from bot.services.hours.input import InputError, parse_quick
from bot.services.hours.totals import HourTotals, Minutes, MyHours, my_hours
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.hours.texts import problem_text, project_text, refusal_text
from handlers.shared.callbacks import CertificateMenu, MyReport
from handlers.shared.commands import names

# Pending reports listed with their buttons; more are rare, and still counted.
LISTED = 10


class EditFlow(StatesGroup):
    figures = State()


def _periods(minutes: Minutes, locale: str) -> str:
    return _("{month} this month · {year} this year · {overall} overall").format(
        month=duration_text(minutes.month, locale),
        year=duration_text(minutes.year, locale),
        overall=duration_text(minutes.overall, locale),
    )


def _block(title: str, approved: Minutes, pending: Minutes, locale: str) -> list[str]:
    lines = [title, _("Approved: {periods}").format(periods=_periods(approved, locale))]
    if pending.overall:
        lines.append(_("Pending: {periods}").format(periods=_periods(pending, locale)))
    return lines


def totals_text(totals: HourTotals, locale: str, default: str) -> str:
    month = format_date(totals.month_start, "LLLL yyyy", locale=locale)
    lines = [_("<b>Your volunteering hours</b> (month: {month})").format(month=month)]
    for project in totals.projects:
        lines.append("")
        title = f"<b>{project_text(project.project, locale, default)}</b>"
        lines += _block(title, project.approved, project.pending, locale)
    if len(totals.projects) > 1:
        lines.append("")
        lines += _block(_("<b>In all</b>"), totals.approved, totals.pending, locale)
    return "\n".join(lines)


def my_hours_view(view: MyHours, locale: str, default: str) -> tuple[str, InlineKeyboardMarkup]:
    if not view.totals.projects:
        text = _("You have not logged any hours yet. Log them with /hours.")
    else:
        text = totals_text(view.totals, locale, default)
    rows: list[list[InlineKeyboardButton]] = []
    if view.pending_reports:
        lines = ["", _("<b>Awaiting a tutor's approval</b>")]
        for number, report in enumerate(view.pending_reports[:LISTED], start=1):
            lines.append(
                f"{number}. {day_text(report.work_date, locale)} · "
                f"{project_text(report.project, locale, default)} · "
                f"{duration_text(report.minutes, locale)}"
            )
            rows.append(
                [
                    button(_("✏️ Correct {number}").format(number=number), _edit(report.id)),
                    button(_("↩️ Withdraw {number}").format(number=number), _withdraw(report.id)),
                ]
            )
        hidden = len(view.pending_reports) - LISTED
        if hidden > 0:
            lines.append(
                ngettext("… and {count} more.", "… and {count} more.", hidden).format(count=hidden)
            )
        text += "\n" + "\n".join(lines)
    rows.append([button(_("Certificate of hours"), CertificateMenu())])
    return text, markup(rows)


def _edit(report_id: int) -> MyReport:
    return MyReport(action="edit", report_id=report_id)


def _withdraw(report_id: int) -> MyReport:
    return MyReport(action="withdraw", report_id=report_id)


async def _view(session: AsyncSession, ctx: Context) -> tuple[str, InlineKeyboardMarkup]:
    view = await my_hours(session, ctx.user_id, ctx.hours)
    return my_hours_view(view, ctx.locale, ctx.default_locale)


async def show_my_hours(message: Message, ctx: Context, session: AsyncSession) -> None:
    text, keyboard = await _view(session, ctx)
    await message.answer(text, reply_markup=keyboard)


async def on_report(
    query: CallbackQuery,
    callback_data: MyReport,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.action == "edit":
        await state.set_state(EditFlow.figures)
        await state.set_data({"report_id": callback_data.report_id})
        await message.answer(
            _(
                "Write the correct duration, and the day if it changed, as after /hours: "
                "e.g. 2h30, or 1:30 yesterday. Send /cancel to keep it as it is."
            )
        )
        return
    try:
        await hours.withdraw_pending_report(session, ctx.user_id, callback_data.report_id)
    except hours.HoursError as error:
        callback_answer.text = refusal_text(error, ctx.hours.max_age_days)
        callback_answer.show_alert = True
        if error.reason is hours.Refusal.CHANGED:
            text, keyboard = await _view(session, ctx)
            await message.edit_text(text, reply_markup=keyboard)
        return
    callback_answer.text = _("Withdrawn.")
    text, keyboard = await _view(session, ctx)
    await message.edit_text(text, reply_markup=keyboard)


async def got_figures(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    rules = ctx.hours
    try:
        quick = parse_quick(message.text or "", rules.today, rules.max_age_days)
    except InputError as error:
        await message.answer(problem_text(error.problem, rules.max_age_days))
        return
    if quick.project_words:
        await message.answer(
            _("The project cannot be changed: withdraw the report and log the hours again.")
        )
        return
    report_id = int((await state.get_data())["report_id"])
    try:
        report = await hours.edit_pending_report(
            session,
            ctx.user_id,
            report_id,
            minutes=quick.minutes,
            work_date=quick.work_date,
            rules=rules,
        )
    except hours.HoursError as error:
        await message.answer(refusal_text(error, rules.max_age_days))
        if error.reason is hours.Refusal.CHANGED:
            await state.clear()
            await show_my_hours(message, ctx, session)
        elif error.reason in (hours.Refusal.UNKNOWN_REPORT, hours.Refusal.NOT_PENDING):
            await state.clear()
        return
    await state.clear()
    locale = ctx.locale
    await message.answer(
        _("✏️ Corrected: {hours} on {day} for <b>{title}</b>. The tutors have been told.").format(
            hours=duration_text(report.minutes, locale),
            day=day_text(report.work_date, locale),
            title=project_text(report.project, locale, ctx.default_locale),
        )
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_my_hours, Command(*names("myhours")))
    router.callback_query.register(on_report, MyReport.filter())
    router.message.register(
        got_figures, StateFilter(EditFlow.figures), F.text, ~F.text.startswith("/")
    )
    return router
