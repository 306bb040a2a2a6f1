"""Tutors' decisions on hours: /approve, and the Approve / Reject buttons of each notice.

Rejecting asks the tutor for a short reason in one more message (/cancel leaves it).
Who may decide is checked by the service, whatever the button says.
"""

from __future__ import annotations

import contextlib
import html
from datetime import datetime

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.notices.formats import day_text, hours_text
from bot.services.hours import review as hours_review
from bot.services.hours.review import ReviewError
from bot.services.people.roles import Role
from bot.settings import Settings
from bot.telegram.staff_filter import staff_only
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.hours.texts import project_text, review_refusal_text
from handlers.shared.callbacks import HoursApprovePage, HoursApproveShift, HoursDecide

PAGE_SIZE = 5


class RejectFlow(StatesGroup):
    reason = State()


def _report_line(number: int, report: hours_review.PendingReport, locale: str, default: str) -> str:
    line = _("{number}. <b>{name}</b> · {title} · {day} · {hours}").format(
        number=number,
        name=html.escape(report.volunteer),
        title=project_text(report.project, locale, default),
        day=day_text(report.work_date, locale),
        hours=hours_text(report.minutes, locale),
    )
    if report.note:
        line += "\n" + _("Note: {note}").format(note=html.escape(report.note))
    return line


def page_view(
    view: hours_review.PendingPage, locale: str, default: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not view.total:
        return _("No hours are waiting for your approval."), None
    lines = [_("<b>Hours to approve</b> ({count} in all)").format(count=view.total)]
    rows: list[list[InlineKeyboardButton]] = []
    first = view.page * PAGE_SIZE + 1
    shifts: dict[int, list[int]] = {}
    for number, report in enumerate(view.reports, start=first):
        lines.append(_report_line(number, report, locale, default))
        rows.append(_decide_row(number, report, view.page))
        if report.shift_id is not None:
            shifts.setdefault(report.shift_id, []).append(number)
    for shift_id, numbers in shifts.items():
        if len(numbers) > 1:
            label = _("✅ All of the same shift ({numbers})").format(
                numbers=", ".join(map(str, numbers))
            )
            rows.append([button(label, HoursApproveShift(shift_id=shift_id))])
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
    session: AsyncSession, user_id: int, settings: Settings, i18n: I18n, page: int, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    view = await hours_review.pending_reports_for(
        session, user_id, settings.admin_ids, page, PAGE_SIZE, now
    )
    return page_view(view, i18n.current_locale, settings.default_locale)


async def show_pending(
    message: Message, session: AsyncSession, settings: Settings, clock: Clock, i18n: I18n
) -> None:
    assert message.from_user is not None
    try:
        text, keyboard = await _page(session, message.from_user.id, settings, i18n, 0, clock.now())
    except ReviewError:
        await message.answer(_("/approve is for the tutors of the projects and the admins."))
        return
    await message.answer(text, reply_markup=keyboard)


async def turn_page(
    query: CallbackQuery,
    callback_data: HoursApprovePage,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    try:
        text, keyboard = await _page(
            session, query.from_user.id, settings, i18n, callback_data.page, clock.now()
        )
    except ReviewError as error:
        await query.answer(review_refusal_text(error, i18n.current_locale, settings.timezone))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=keyboard)


async def decide(
    query: CallbackQuery,
    callback_data: HoursDecide,
    state: FSMContext,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    locale = i18n.current_locale
    try:
        if callback_data.action == "approve":
            decision = await hours_review.approve_report(
                session,
                query.from_user.id,
                callback_data.report_id,
                check=callback_data.check,
                admin_ids=settings.admin_ids,
                now=clock.now(),
            )
        else:
            pending = await hours_review.check_decidable(
                session,
                query.from_user.id,
                callback_data.report_id,
                callback_data.check,
                settings.admin_ids,
            )
    except ReviewError as error:
        await query.answer(review_refusal_text(error, locale, settings.timezone), show_alert=True)
        if error.reason is not hours_review.ReviewRefusal.NOT_ALLOWED:
            await _refresh(query, session, settings, i18n, callback_data.page, clock, None)
        return
    if callback_data.action == "approve":
        await query.answer(_("Approved: {name} will be told.").format(name=decision.volunteer[:60]))
        approved = _("✅ Approved.")
        await _refresh(query, session, settings, i18n, callback_data.page, clock, approved)
        return
    await query.answer()
    await state.set_state(RejectFlow.reason)
    await state.set_data(
        {
            "report_id": callback_data.report_id,
            "check": callback_data.check,
            "page": callback_data.page,
        }
    )
    if isinstance(query.message, Message):
        await query.message.answer(
            _(
                "Why are these hours not approved? Write a short reason for {name} (or /cancel)."
            ).format(name=html.escape(pending.volunteer))
        )


async def _refresh(
    query: CallbackQuery,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
    page: int,
    clock: Clock,
    outcome: str | None,
) -> None:
    """After a decision: the /approve page shown again, or the notice closed with the outcome."""
    message = query.message
    if not isinstance(message, Message):
        return
    with contextlib.suppress(TelegramBadRequest):  # unchanged content
        if page >= 0:
            now = clock.now()
            text, keyboard = await _page(session, query.from_user.id, settings, i18n, page, now)
            await message.edit_text(text, reply_markup=keyboard)
        elif outcome is not None:
            await message.edit_text(f"{message.html_text}\n\n{outcome}", reply_markup=None)
        else:
            await message.edit_reply_markup(reply_markup=None)


async def got_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    assert message.from_user is not None
    data = await state.get_data()
    try:
        decision = await hours_review.reject_report(
            session,
            message.from_user.id,
            int(data["report_id"]),
            reason=message.text or "",
            check=int(data["check"]),
            admin_ids=settings.admin_ids,
            now=clock.now(),
        )
    except ReviewError as error:
        refusal = review_refusal_text(error, i18n.current_locale, settings.timezone)
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
    callback_data: HoursApproveShift,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    try:
        decisions = await hours_review.approve_all_for_shift(
            session,
            query.from_user.id,
            callback_data.shift_id,
            admin_ids=settings.admin_ids,
            now=clock.now(),
        )
    except ReviewError as error:
        await query.answer(
            review_refusal_text(error, i18n.current_locale, settings.timezone), show_alert=True
        )
        return
    count = len(decisions)
    await query.answer(
        ngettext("{count} report approved.", "{count} reports approved.", count).format(count=count)
    )
    await _refresh(query, session, settings, i18n, 0, clock, None)


async def refuse(query: CallbackQuery, settings: Settings, i18n: I18n) -> None:
    refusal = ReviewError(hours_review.ReviewRefusal.NOT_ALLOWED)
    await query.answer(
        review_refusal_text(refusal, i18n.current_locale, settings.timezone), show_alert=True
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_pending, Command("approve"))
    router.callback_query.register(turn_page, HoursApprovePage.filter())
    router.callback_query.register(decide, HoursDecide.filter())
    router.callback_query.register(approve_shift, HoursApproveShift.filter())
    router.message.register(
        got_reason, StateFilter(RejectFlow.reason), F.text, ~F.text.startswith("/")
    )
    return staff_only(router, Role.TUTOR, refuse, HoursApprovePage, HoursDecide, HoursApproveShift)
