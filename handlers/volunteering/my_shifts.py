"""/shifts: the volunteer's upcoming places, to cancel or to put in a calendar."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import pick
from bot.services.volunteering import shifts
from bot.services.volunteering.calendar import CalendarEntry, ics
from bot.settings import Settings
from handlers.shared.callbacks import PlaceCalendar, PlaceCancel
from handlers.volunteering.places import cancel_or_explain
from handlers.volunteering.views import place_text


async def _places_message(
    session: AsyncSession, user_id: int, settings: Settings, clock: Clock, locale: str
) -> tuple[str, InlineKeyboardMarkup | None, list[shifts.Place]]:
    places = await shifts.my_places(session, user_id, clock.now())
    if not places:
        return _("You have no upcoming shifts. Find one with /volunteer."), None, []
    parts = [_("<b>Your upcoming shifts</b>")]
    builder = InlineKeyboardBuilder()
    for number, place in enumerate(places, start=1):
        text = place_text(place, locale, settings.default_locale, settings.timezone)
        parts.append(f"{number}. {text}")
        builder.button(
            text=_("❌ Cancel {number}").format(number=number),
            callback_data=PlaceCancel(shift_id=place.shift.id),
        )
        builder.button(text=f"📅 {number}", callback_data=PlaceCalendar(shift_id=place.shift.id))
    builder.adjust(2)
    builder.row()
    builder.button(text=_("📅 All in one calendar file"), callback_data=PlaceCalendar(shift_id=0))
    return "\n\n".join(parts), builder.as_markup(), places


async def show_places(
    message: Message, session: AsyncSession, settings: Settings, clock: Clock, i18n: I18n
) -> None:
    assert message.from_user is not None
    text, markup, _places = await _places_message(
        session, message.from_user.id, settings, clock, i18n.current_locale
    )
    await message.answer(text, reply_markup=markup)


async def cancel_place(
    query: CallbackQuery,
    callback_data: PlaceCancel,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    if not await cancel_or_explain(query, session, callback_data.shift_id, settings, clock):
        return
    await query.answer(_("Your place was cancelled."))
    if isinstance(query.message, Message):
        text, markup, _places = await _places_message(
            session, query.from_user.id, settings, clock, i18n.current_locale
        )
        await query.message.answer(text, reply_markup=markup)


async def send_calendar(
    query: CallbackQuery,
    callback_data: PlaceCalendar,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    places = await shifts.my_places(session, query.from_user.id, clock.now())
    chosen = [p for p in places if callback_data.shift_id in (0, p.shift.id)]
    if not chosen or not isinstance(query.message, Message):
        await query.answer(_("You have no place on this shift."), show_alert=True)
        return
    await query.answer()
    locale, default = i18n.current_locale, settings.default_locale
    entries = [
        CalendarEntry(
            uid=f"shift-{place.shift.id}@quartiere-bot",
            title=pick(place.shift.project_title, locale, default),
            start=place.shift.start_at,
            end=place.shift.end_at,
            location=pick(place.shift.place, locale, default) if place.shift.place else None,
        )
        for place in chosen
    ]
    name = "shifts.ics" if callback_data.shift_id == 0 else f"shift-{callback_data.shift_id}.ics"
    await query.message.answer_document(
        BufferedInputFile(ics(entries, settings.timezone), filename=name)
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_places, Command("shifts"))
    router.callback_query.register(cancel_place, PlaceCancel.filter())
    router.callback_query.register(send_calendar, PlaceCalendar.filter())
    return router
