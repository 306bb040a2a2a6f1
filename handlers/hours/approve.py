"""Tutors' decisions on hours: /approve, and the Approve / Reject buttons of each notice.

Rejecting asks the tutor for a short reason in one more message (/cancel leaves it).
Who may decide is checked by the service, whatever the button says.
"""

from __future__ import annotations

import contextlib
import html

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import day_text, duration_text
from bot.services.hours import review as hours_review
from bot.services.hours.review import ReviewError
from bot.services.people.roles import Role
from bot.telegram.context import Context
from bot.telegram.staff_filter import staff_only
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.hours.texts import project_text, review_refusal_text
from handlers.shared.callbacks import (
    HoursApproveList,
    HoursApprovePage,
    HoursApproveShift,
    HoursDecide,
)
from handlers.shared.commands import names

PAGE_SIZE = 5


class RejectFlow(StatesGroup):
    reason = State()


def _report_line(number: int, report: hours_review.PendingReport, locale: str, default: str) -> str:
    line = _("{number}. <b>{name}</b> · {title} · {day} · {hours}").format(
        number=number,
        name=html.escape(report.volunteer),
        title=project_text(report.project, locale, default),
        day=day_text(report.work_date, locale),
        hours=duration_text(report.minutes, locale),
    )
    if report.note:
        line += "\n" + _("Note: {note}").format(note=html.escape(report.note))
    return line


def page_view(
    view: hours_review.PendingPage, locale: str, default: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not view.total:
        return _("No hours are waiting for your approval."), None
    lines = [
        ngettext(
            "<b>Hours to approve</b> ({count} in all)",
            "<b>Hours to approve</b> ({count} in all)",
            view.total,
        ).format(count=view.total)
    ]
    rows: list[list[InlineKeyboardButton]] = []
    first = view.page * PAGE_SIZE + 1
    shifts: dict[int, list[int]] = {}
    for number, report in enumerate(view.reports, start=first):
        lines.append(_report_line(number, report, locale, default))
        rows.append(_decide_row(number, report, view.page))
        if report.shift_id is not None:
            shifts.setdefault(report.shift_id, []).append(number)
    for shift_id, numbers in shifts.items():
        seen = view.whole_shifts.get(shift_id)
        if seen is not None:
            label = _("✅ All of the same shift ({numbers})").format(
                numbers=", ".join(map(str, numbers))
            )
            rows.append([button(label, HoursApproveList(shift_id=shift_id, seen=seen))])
    navigation = []
    if view.page > 0:
        navigation.append(button("◀️", HoursApprovePage(page=view.page - 1)))
    if view.page < view.pages - 1:
        navigation.append(button("▶️", HoursApprovePage(page=view.page + 1)))
    rows.append(navigation)
    return "\n\n".join(lines), markup(rows)


def _decide_row(
    number: int, report: hours_review.PendingReport, page: int
) -> list[InlineKeyboardButton]:
    def data(action: str) -> HoursDecide:
        return HoursDecide(action=action, report_id=report.id, check=report.check, page=page)

    return [
        button(_("✅ Approve {number}").format(number=number), data("approve")),
        button(_("❌ Reject {number}").format(number=number), data("reject")),
    ]


async def _page(
    session: AsyncSession, ctx: Context, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    view = await hours_review.pending_reports_for(
        session, await ctx.actor(), page, PAGE_SIZE, ctx.now
    )
    return page_view(view, ctx.locale, ctx.default_locale)


def _refused(callback_answer: CallbackAnswer, error: ReviewError, ctx: Context) -> None:
    callback_answer.text = review_refusal_text(error, ctx.locale, ctx.zone)
    callback_answer.show_alert = True


async def show_pending(message: Message, ctx: Context, session: AsyncSession) -> None:
    try:
        text, keyboard = await _page(session, ctx, 0)
    except ReviewError:
        await message.answer(_("/approve is for the tutors of the projects and the admins."))
        return
    await message.answer(text, reply_markup=keyboard)


async def turn_page(
    query: CallbackQuery,
    callback_data: HoursApprovePage,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        text, keyboard = await _page(session, ctx, callback_data.page)
    except ReviewError as error:
        callback_answer.text = review_refusal_text(error, ctx.locale, ctx.zone)
        return
    await message.edit_text(text, reply_markup=keyboard)


async def decide(
    query: CallbackQuery,
    callback_data: HoursDecide,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        if callback_data.action == "approve":
            decision = await hours_review.approve_report(
                session,
                await ctx.actor(),
                callback_data.report_id,
                check=callback_data.check,
                now=ctx.now,
            )
        else:
            pending = await hours_review.check_decidable(
                session, await ctx.actor(), callback_data.report_id, callback_data.check
            )
    except ReviewError as error:
        _refused(callback_answer, error, ctx)
        if error.reason is not hours_review.ReviewRefusal.NOT_ALLOWED:
            await _refresh(message, ctx, session, callback_data.page, None)
        return
    if callback_data.action == "approve":
        callback_answer.text = _("Approved: {name} will be told.").format(
            name=decision.volunteer[:60]
        )
        await _refresh(message, ctx, session, callback_data.page, _("✅ Approved."))
        return
    await state.set_state(RejectFlow.reason)
    await state.set_data(
        {
            "report_id": callback_data.report_id,
            "check": callback_data.check,
            "page": callback_data.page,
        }
    )
    await message.answer(
        _("Why are these hours not approved? Write a short reason for {name} (or /cancel).").format(
            name=html.escape(pending.volunteer)
        )
    )


async def _refresh(
    message: Message, ctx: Context, session: AsyncSession, page: int, outcome: str | None
) -> None:
    """After a decision: the /approve page shown again, or the notice closed with the outcome."""
    with contextlib.suppress(TelegramBadRequest):  # unchanged content
        if page >= 0:
            text, keyboard = await _page(session, ctx, page)
            await message.edit_text(text, reply_markup=keyboard)
        elif outcome is not None:
            await message.edit_text(f"{message.html_text}\n\n{outcome}", reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)


async def got_reason(
    message: Message, ctx: Context, session: AsyncSession, state: FSMContext
) -> None:
    data = await state.get_data()
    try:
        decision = await hours_review.reject_report(
            session,
            await ctx.actor(),
            int(data["report_id"]),
            reason=message.text or "",
            check=int(data["check"]),
            now=ctx.now,
        )
    except ReviewError as error:
        refusal = review_refusal_text(error, ctx.locale, ctx.zone)
        await message.answer(html.escape(refusal))
        if error.reason not in (
            hours_review.ReviewRefusal.NO_REASON,
            hours_review.ReviewRefusal.REASON_TOO_LONG,
        ):
            await state.clear()
        return
    await state.clear()
    await message.answer(
        _("Not approved: {name} will be told, with your reason.").format(
            name=html.escape(decision.volunteer)
        )
        + "\n"
        + _("More to approve: /approve")
    )


async def approve_shift(
    query: CallbackQuery,
    callback_data: HoursApproveList,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        decisions = await hours_review.approve_all_for_shift(
            session,
            await ctx.actor(),
            callback_data.shift_id,
            seen=callback_data.seen,
            now=ctx.now,
        )
    except ReviewError as error:
        _refused(callback_answer, error, ctx)
        if error.reason is hours_review.ReviewRefusal.LIST_CHANGED:
            await _refresh(message, ctx, session, 0, None)
        return
    count = len(decisions)
    callback_answer.text = ngettext(
        "{count} report approved.", "{count} reports approved.", count
    ).format(count=count)
    await _refresh(message, ctx, session, 0, None)


async def approve_shift_unnamed(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """An approve-all button from before lists were named: the current list, nothing approved."""
    _refused(callback_answer, ReviewError(hours_review.ReviewRefusal.LIST_CHANGED), ctx)
    try:
        await _refresh(message, ctx, session, 0, None)
    except ReviewError:
        return


async def refuse(query: CallbackQuery, ctx: Context, callback_answer: CallbackAnswer) -> None:
    _refused(callback_answer, ReviewError(hours_review.ReviewRefusal.NOT_ALLOWED), ctx)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_pending, Command(*names("approve")))
    router.callback_query.register(turn_page, HoursApprovePage.filter())
    router.callback_query.register(decide, HoursDecide.filter())
    router.callback_query.register(approve_shift, HoursApproveList.filter())
    router.callback_query.register(approve_shift_unnamed, HoursApproveShift.filter())
    router.message.register(
        got_reason, StateFilter(RejectFlow.reason), F.text, ~F.text.startswith("/")
    )
    buttons = (HoursApprovePage, HoursDecide, HoursApproveList, HoursApproveShift)
    return staff_only(router, Role.TUTOR, refuse, *buttons)
