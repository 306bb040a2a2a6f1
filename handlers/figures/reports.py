"""/report (tutors: their projects; admins: all) and /stats (admins: the whole programme).

A period to choose, then the key figures as a message, a spreadsheet (.xlsx) and a chart.
"""

from __future__ import annotations

import asyncio
import html

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import pick
from bot.services.figures import key_figures as figures
from bot.services.figures import spreadsheet
from bot.services.figures.charts import ChartWording, hours_chart
from bot.services.figures.periods import Period
from bot.services.people.roles import Role
from bot.telegram.context import Context
from bot.telegram.staff_filter import staff_only
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.figures.views import date_range, hours_in_words, hours_number, period_label
from handlers.shared.callbacks import FiguresPick
from handlers.shared.commands import names

FIGURES_PERIODS = (Period.THIS_MONTH, Period.THIS_YEAR, Period.LAST_YEAR)
# Projects listed in the message; the spreadsheet and the chart have them all.
LISTED_PROJECTS = 15


def _refusal(scope: figures.Scope) -> str:
    if scope is figures.Scope.STATS:
        return _("The programme's figures are for admins only.")
    return _("Reports are for the projects' tutors and the admins.")


async def _ask_period(message: Message, ctx: Context, scope: figures.Scope) -> None:
    if not figures.may_see(await ctx.actor(), scope):
        await message.answer(_refusal(scope))
        return
    rows = [
        [button(period_label(p), FiguresPick(scope=scope.value, period=p.value))]
        for p in FIGURES_PERIODS
    ]
    question = (
        _("The programme's key figures: for which period?")
        if scope is figures.Scope.STATS
        else _("Key figures of your projects: for which period?")
    )
    await message.answer(question, reply_markup=markup(rows))


async def ask_report_period(message: Message, ctx: Context) -> None:
    await _ask_period(message, ctx, figures.Scope.REPORT)


async def ask_stats_period(message: Message, ctx: Context) -> None:
    await _ask_period(message, ctx, figures.Scope.STATS)


def figures_text(found: figures.Figures, locale: str, default_locale: str) -> str:
    def counts(volunteers: int, minutes: int, tutors: int) -> str:
        return ", ".join(
            (
                ngettext("{n} volunteer", "{n} volunteers", volunteers).format(
                    n=format_decimal(volunteers, locale=locale)
                ),
                hours_in_words(minutes, locale),
                ngettext("{n} tutor", "{n} tutors", tutors).format(
                    n=format_decimal(tutors, locale=locale)
                ),
            )
        )

    lines = [
        _("<b>Key figures</b> {period}").format(
            period=date_range(found.date_from, found.date_to, locale)
        ),
        _("Active volunteers: {n}").format(n=format_decimal(found.volunteers, locale=locale)),
        _("Approved hours: {hours}").format(hours=hours_number(found.minutes, locale)),
        _("Tutors: {n}").format(n=format_decimal(found.tutors, locale=locale)),
        "",
        _("<b>By project</b>"),
    ]
    for project in found.projects[:LISTED_PROJECTS]:
        title = html.escape(pick(project.title, locale, default_locale))
        lines.append(f"• {title}: {counts(project.volunteers, project.minutes, project.tutors)}")
    hidden = len(found.projects) - LISTED_PROJECTS
    if hidden > 0:
        lines.append(
            ngettext(
                "…and {n} more project in the spreadsheet.",
                "…and {n} more projects in the spreadsheet.",
                hidden,
            ).format(n=hidden)
        )
    return "\n".join(lines)


def sheet_wording() -> spreadsheet.SheetWording:
    return spreadsheet.SheetWording(
        projects_sheet=_("Projects"),
        months_sheet=_("Months"),
        project_code=_("Project code"),
        project=_("Project"),
        volunteers=_("Active volunteers"),
        hours=_("Approved hours"),
        minutes=_("Approved minutes"),
        tutors=_("Tutors"),
        month=_("Month"),
        total=_("Total"),
    )


def file_stem(scope: figures.Scope, period: Period, found: figures.Figures) -> str:
    """`ore-progetti-2026-12` for this month, `...-2026` for a year: what and when, in words."""
    when = found.date_from.strftime("%Y-%m" if period is Period.THIS_MONTH else "%Y")
    if scope is figures.Scope.STATS:
        return _("programme-hours-{period}").format(period=when)
    return _("project-hours-{period}").format(period=when)


async def send_figures(
    query: CallbackQuery,
    callback_data: FiguresPick,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        scope, period = figures.Scope(callback_data.scope), Period(callback_data.period)
    except ValueError:
        scope, period = figures.Scope.STATS, Period.THIS_MONTH
    try:
        found = await figures.figures_for(
            session, await ctx.actor(), scope, period, ctx.today, ctx.now
        )
    except (figures.NotAllowed, ValueError):
        callback_answer.text = _refusal(scope)
        callback_answer.show_alert = True
        return
    locale, default = ctx.locale, ctx.default_locale
    if found.empty:
        await message.answer(
            _("No approved hours {period}.").format(
                period=date_range(found.date_from, found.date_to, locale)
            )
        )
        return
    await message.answer(figures_text(found, locale, default))
    name = file_stem(scope, period, found)
    sheets = spreadsheet.figures_sheets(found, sheet_wording(), locale, default)
    book = await asyncio.to_thread(spreadsheet.workbook, sheets)
    await message.answer_document(BufferedInputFile(book, filename=f"{name}.xlsx"))
    wording = ChartWording(
        title=_("Approved hours per month"),
        hours_axis=_("hours"),
        months_axis=_("month"),
        other_projects=_("other projects"),
    )
    names = {p.code: pick(p.title, locale, default) for p in found.projects}
    chart = await asyncio.to_thread(hours_chart, found, wording, names, locale)
    caption = _("Approved hours per month, by project, {period}.").format(
        period=date_range(found.date_from, found.date_to, locale)
    )
    await message.answer_photo(BufferedInputFile(chart, filename=f"{name}.png"), caption=caption)


async def refuse(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    try:
        scope = figures.Scope(FiguresPick.unpack(query.data or "").scope)
    except ValueError:
        scope = figures.Scope.STATS
    callback_answer.text = _refusal(scope)
    callback_answer.show_alert = True


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_report_period, Command(*names("report")))
    router.message.register(ask_stats_period, Command(*names("stats")))
    router.callback_query.register(send_figures, FiguresPick.filter())
    return staff_only(router, Role.TUTOR, refuse, FiguresPick)
