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
from bot.services.hours.reports import fingerprint
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
    HoursDecideListed,
    HoursUndo,
)
from handlers.shared.commands import names
from storage.models import HourReportStatus

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
    outcome = _outcome(report)
    if outcome:
        line += "\n" + outcome
    return line


def _outcome(report: hours_review.PendingReport) -> str:
    """How a report of the list was decided since it was shown ("" while pending)."""
    name = html.escape(report.reviewer or "")
    if report.status == HourReportStatus.APPROVED:
        return _("✅ approved by {name}").format(name=name) if name else _("✅ approved")
    if report.status == HourReportStatus.REJECTED:
        return _("❌ rejected by {name}").format(name=name) if name else _("❌ rejected")
    return ""


def page_view(
    view: hours_review.PendingPage,
    locale: str,
    default: str,
    numbers: dict[int, int] | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The page; `numbers` (report id -> number) keeps the numbering of a list shown before."""
    if not view.reports:
        return _("No hours are waiting for your approval."), None
    lines = [
        ngettext(
            "<b>Hours to approve</b> ({count} in all)",
            "<b>Hours to approve</b> ({count} in all)",
            view.total,
        ).format(count=view.total)
    ]
    if not view.total:
        lines = [_("<b>Hours to approve</b>: none left waiting.")]
    rows: list[list[InlineKeyboardButton]] = []
    first = view.page * PAGE_SIZE + 1
    shifts: dict[int, list[int]] = {}
    for index, report in enumerate(view.reports):
        number = numbers[report.id] if numbers else first + index
        lines.append(_report_line(number, report, locale, default))
        rows.append(_decide_row(number, report, view.page))
        if report.shift_id is not None and report.status == HourReportStatus.PENDING:
            shifts.setdefault(report.shift_id, []).append(number)
    for shift_id, shown in shifts.items():
        seen = view.whole_shifts.get(shift_id)
        if seen is not None:
            label = _("✅ All of the same shift ({numbers})").format(
                numbers=", ".join(map(str, shown))
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
    """Every row keeps a button naming its report: the list is read back from them."""
    if report.status != HourReportStatus.PENDING:
        undo = HoursUndo(report_id=report.id, page=page, number=number)
        return [button(_("↩️ Undo {number}").format(number=number), undo)]

    def data(action: str) -> HoursDecideListed:
        return HoursDecideListed(
            action=action, report_id=report.id, check=report.check, page=page, number=number
        )

    return [
        button(_("✅ Approve {number}").format(number=number), data("approve")),
        button(_("❌ Reject {number}").format(number=number), data("reject")),
    ]


def _listed(message: Message | None) -> list[tuple[int, int]]:
    """(number, report id) of each report of an /approve list, read from its buttons."""
    numbers: dict[int, int] = {}
    keyboard = message.reply_markup if message is not None else None
    for row in keyboard.inline_keyboard if keyboard is not None else []:
        for key in row:
            for kind in (HoursDecideListed, HoursUndo):
                try:
                    data = kind.unpack(key.callback_data or "")
                except (TypeError, ValueError):
                    continue
                if data.number > 0:
                    numbers.setdefault(data.report_id, data.number)
    return sorted((number, report_id) for report_id, number in numbers.items())


async def _page(
    session: AsyncSession, ctx: Context, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    view = await hours_review.pending_reports_for(
        session, await ctx.actor(), page, PAGE_SIZE, ctx.now
    )
    return page_view(view, ctx.locale, ctx.default_locale)


async def _page_as_listed(
    session: AsyncSession, ctx: Context, page: int, listed: list[tuple[int, int]]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list as it was shown, each report with its number and what became of it; a list
    without numbers (an earlier version), or whose reports are all gone, is shown afresh."""
    if listed:
        view = await hours_review.listed_again(
            session, await ctx.actor(), [i for _, i in listed], page, PAGE_SIZE, ctx.now
        )
        if view.reports:
            numbers = {report_id: number for number, report_id in listed}
            return page_view(view, ctx.locale, ctx.default_locale, numbers)
    return await _page(session, ctx, page)


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


def _reject_prompt(pending: hours_review.PendingReport, ctx: Context) -> str:
    return _(
        "You are rejecting {hours} of {name} for {title}, {day}: why? "
        "Write a short reason for them (or /cancel)."
    ).format(
        hours=duration_text(pending.minutes, ctx.locale),
        name=html.escape(pending.volunteer),
        title=project_text(pending.project, ctx.locale, ctx.default_locale),
        day=day_text(pending.work_date, ctx.locale),
    )


async def decide(
    query: CallbackQuery,
    callback_data: HoursDecide | HoursDecideListed,
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
        undo = HoursUndo(report_id=decision.report_id, page=callback_data.page)
        await _refresh(message, ctx, session, callback_data.page, _("✅ Approved."), undo)
        return
    await state.set_state(RejectFlow.reason)
    # The report is named by its id: whatever happens to the list, the reason goes to it.
    await state.set_data(
        {
            "report_id": callback_data.report_id,
            "check": callback_data.check,
            "page": callback_data.page,
            "list_message_id": message.message_id if callback_data.page >= 0 else None,
            "listed": _listed(message) if callback_data.page >= 0 else [],
        }
    )
    await message.answer(_reject_prompt(pending, ctx))


async def _refresh(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    page: int,
    outcome: str | None,
    undo: HoursUndo | None = None,
) -> None:
    """After a decision: the /approve list shown again with its numbering, or the notice
    closed with the outcome (and an Undo button)."""
    with contextlib.suppress(TelegramBadRequest):  # unchanged content
        if page >= 0:
            text, keyboard = await _page_as_listed(session, ctx, page, _listed(message))
            await message.edit_text(text, reply_markup=keyboard)
        elif outcome is not None:
            keyboard = markup([[button(_("↩️ Undo"), undo)]]) if undo else None
            await message.edit_text(f"{message.html_text}\n\n{outcome}", reply_markup=keyboard)
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
    undo = HoursUndo(report_id=decision.report_id, page=-2)
    await message.answer(
        _("Not approved: {name} will be told, with your reason.").format(
            name=html.escape(decision.volunteer)
        )
        + "\n"
        + _("More to approve: /approve"),
        reply_markup=markup([[button(_("↩️ Undo"), undo)]]),
    )
    if data.get("list_message_id") and message.bot is not None:
        listed = [(int(n), int(i)) for n, i in data.get("listed") or []]
        text, keyboard = await _page_as_listed(session, ctx, int(data["page"]), listed)
        with contextlib.suppress(TelegramBadRequest):  # the list was deleted or unchanged
            await message.bot.edit_message_text(
                text,
                chat_id=message.chat.id,
                message_id=int(data["list_message_id"]),
                reply_markup=keyboard,
            )


async def undo(
    query: CallbackQuery,
    callback_data: HoursUndo,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        decision = await hours_review.undo_decision(
            session, await ctx.actor(), callback_data.report_id, now=ctx.now
        )
    except ReviewError as error:
        _refused(callback_answer, error, ctx)
        if callback_data.page >= 0 and error.reason is not hours_review.ReviewRefusal.NOT_ALLOWED:
            await _refresh(message, ctx, session, callback_data.page, None)
        return
    callback_answer.text = _(
        "Undone: the hours of {name} are waiting for a decision again."
    ).format(name=decision.volunteer[:60])
    if callback_data.page >= 0:
        await _refresh(message, ctx, session, callback_data.page, None)
        return
    with contextlib.suppress(TelegramBadRequest):
        if callback_data.page == -1:
            # The notice as it came, with its buttons again.
            original = message.html_text.rsplit("\n\n", 1)[0]
            check = fingerprint(decision.project.id, decision.work_date, decision.minutes)
            await message.edit_text(original, reply_markup=_notice_buttons(decision, check))
        else:
            await message.edit_text(
                _("↩️ Undone: the hours of {name} are waiting for a decision again.").format(
                    name=html.escape(decision.volunteer)
                )
                + "\n"
                + _("To decide: /approve"),
                reply_markup=None,
            )


def _notice_buttons(decision: hours_review.Decision, check: int) -> InlineKeyboardMarkup:
    def data(action: str) -> HoursDecide:
        return HoursDecide(action=action, report_id=decision.report_id, check=check)

    return markup(
        [[button(_("✅ Approve"), data("approve")), button(_("❌ Reject"), data("reject"))]]
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
    router.callback_query.register(decide, HoursDecideListed.filter())
    router.callback_query.register(undo, HoursUndo.filter())
    router.callback_query.register(approve_shift, HoursApproveList.filter())
    router.callback_query.register(approve_shift_unnamed, HoursApproveShift.filter())
    router.message.register(
        got_reason, StateFilter(RejectFlow.reason), F.text, ~F.text.startswith("/")
    )
    buttons = (
        HoursApprovePage,
        HoursDecide,
        HoursDecideListed,
        HoursUndo,
        HoursApproveList,
        HoursApproveShift,
    )
    return staff_only(router, Role.TUTOR, refuse, *buttons)
