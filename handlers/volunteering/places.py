"""Taking a place on a shift, shared by the project card and the end of registration."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services.volunteering import shifts
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.settings import Settings
from handlers.volunteering.views import place_text


async def sign_up_and_tell(
    query: CallbackQuery | Message,
    session: AsyncSession,
    shift_id: int,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    """Signs the user up and says where they stand (shared with the end of registration)."""
    user = query.from_user
    assert user is not None
    target = query.message if isinstance(query, CallbackQuery) else query
    if isinstance(query, CallbackQuery):
        # Acknowledged before waiting for the shift's lock: Telegram drops a button press
        # left unanswered for long, and the outcome follows as a message anyway.
        with contextlib.suppress(TelegramBadRequest):
            await query.answer()
    try:
        place = await shifts.sign_up(
            session, user.id, shift_id, clock.now(), policy=ReminderPolicy.from_settings(settings)
        )
    except shifts.ShiftError as error:
        if isinstance(target, Message):
            await target.answer(refusal_text(error.refusal))
        return
    if isinstance(target, Message):
        text = place_text(place, i18n.current_locale, settings.default_locale, settings.timezone)
        await target.answer(text + "\n\n" + _("Your shifts: /shifts"))


async def cancel_or_explain(
    query: CallbackQuery, session: AsyncSession, shift_id: int, settings: Settings, clock: Clock
) -> bool:
    """Gives up the user's place (the next in line is promoted); a refusal is answered."""
    try:
        await shifts.cancel_place(
            session,
            query.from_user.id,
            shift_id,
            clock.now(),
            zone=settings.bot_timezone,
            policy=ReminderPolicy.from_settings(settings),
        )
    except shifts.ShiftError as error:
        await query.answer(refusal_text(error.refusal), show_alert=True)
        return False
    return True


def refusal_text(refusal: shifts.Refusal) -> str:
    texts = {
        shifts.Refusal.NOT_REGISTERED: _("Join the volunteer register first: /volunteer"),
        shifts.Refusal.UNKNOWN_SHIFT: _("This shift is no longer in the catalog."),
        shifts.Refusal.SHIFT_CANCELLED: _("This shift has been cancelled."),
        shifts.Refusal.SHIFT_STARTED: _("This shift has already started."),
        shifts.Refusal.ALREADY_HELD: _("You already have a place on this shift."),
        shifts.Refusal.OVERLAP: _("You already have a place on a shift at the same time."),
        shifts.Refusal.NOT_HELD: _("You have no place on this shift."),
    }
    return texts[refusal]
