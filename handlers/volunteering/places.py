"""Taking a place on a shift, shared by the project card and the end of registration."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.maps import map_url
from bot.services.volunteering import shifts
from bot.telegram.context import Context
from handlers.settings.quartiere import ask_quartiere_once
from handlers.volunteering.views import place_text


async def sign_up_and_tell(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    shift_id: int,
    callback_answer: CallbackAnswer,
) -> None:
    """Signs the user up and says where they stand (shared with the end of registration)."""
    # Acknowledged before waiting for the shift's lock: Telegram drops a button press
    # left unanswered for long, and the outcome follows as a message anyway.
    callback_answer.disable()
    with contextlib.suppress(TelegramBadRequest):
        await query.answer()
    try:
        place = await shifts.sign_up(session, ctx.user_id, shift_id, ctx.now, policy=ctx.reminders)
    except shifts.ShiftError as error:
        await message.answer(refusal_text(error.refusal))
        return
    text = place_text(place, ctx.locale, ctx.default_locale, ctx.zone, ctx.now)
    await message.answer(text + "\n\n" + _("Your shifts: /shifts"), reply_markup=map_markup(place))
    # Once per person, in a message of its own: the quartiere they live in.
    await ask_quartiere_once(message, ctx, session)


def map_markup(place: shifts.Place) -> InlineKeyboardMarkup | None:
    """A "Map" button to the shift's hub: one bubble, opened only when tapped."""
    hub = place.shift.hub
    if hub is None:
        return None
    url = map_url(hub.lat, hub.lon)
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=_("🗺 Map"), url=url)]])


async def cancel_or_explain(
    ctx: Context, session: AsyncSession, shift_id: int, callback_answer: CallbackAnswer
) -> bool:
    """Gives up the user's place (the next in line is promoted); a refusal is answered."""
    try:
        await shifts.cancel_place(
            session, ctx.user_id, shift_id, ctx.now, zone=ctx.zone.key, policy=ctx.reminders
        )
    except shifts.ShiftError as error:
        callback_answer.text = refusal_text(error.refusal)
        callback_answer.show_alert = True
        return False
    return True


def refusal_text(refusal: shifts.Refusal) -> str:
    texts = {
        shifts.Refusal.NOT_REGISTERED: _("Join the volunteer register first: /volunteer"),
        shifts.Refusal.UNKNOWN_SHIFT: _("This shift is no longer in the catalogue."),
        shifts.Refusal.SHIFT_CANCELLED: _("This shift has been cancelled."),
        shifts.Refusal.SHIFT_STARTED: _("This shift has already started."),
        shifts.Refusal.ALREADY_HELD: _("You already have a place on this shift."),
        shifts.Refusal.OVERLAP: _("You already have a place on a shift at the same time."),
        shifts.Refusal.NOT_HELD: _("You have no place on this shift."),
        shifts.Refusal.HUB_CLOSED: _(
            "The hub is closed on the day of this shift, so it takes no sign-ups. "
            "Choose another shift with /volunteer."
        ),
    }
    return texts[refusal]
