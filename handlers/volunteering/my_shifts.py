"""/shifts: the volunteer's upcoming places, to cancel or to put in a calendar."""

from __future__ import annotations

import contextlib
import html

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.file_names import calendar_file
from bot.i18n import near_when, pick
from bot.services.volunteering import shifts
from bot.services.volunteering.calendar import CalendarEntry, ics
from bot.telegram.context import Context
from handlers.shared.callbacks import PlaceCalendar, PlaceCancel, PlaceLeave
from handlers.shared.commands import names
from handlers.volunteering.places import cancel_or_explain
from handlers.volunteering.views import place_text, when, where_text
from storage.models import SignupStatus


async def _places_message(
    session: AsyncSession, ctx: Context
) -> tuple[str, InlineKeyboardMarkup | None, list[shifts.Place]]:
    places = await shifts.my_places(session, ctx.user_id, ctx.now)
    if not places:
        return _("You have no upcoming shifts. Find one with /volunteer."), None, []
    parts = [_("<b>Your upcoming shifts</b>")]
    builder = InlineKeyboardBuilder()
    for number, place in enumerate(places, start=1):
        text = place_text(place, ctx.locale, ctx.default_locale, ctx.zone, ctx.now)
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


async def show_places(message: Message, ctx: Context, session: AsyncSession) -> None:
    text, markup, _places = await _places_message(session, ctx)
    await message.answer(text, reply_markup=markup)


async def cancel_place(
    query: CallbackQuery,
    callback_data: PlaceCancel,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """❌ on the /shifts list: the list becomes the question, answered in place."""
    ask = PlaceLeave(answer="ask", shift_id=callback_data.shift_id, origin="list")
    await leave_place(query, ask, message, ctx, session, callback_answer)


async def leave_place(
    query: CallbackQuery,
    callback_data: PlaceLeave,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """Leaving a place asks first; on the list, the answer shows the list again without
    the place given up, in the same message (a notice's question is a message of its own)."""
    from_list = callback_data.origin == "list"
    if callback_data.answer == "ask":
        await _ask_to_leave(
            callback_data.shift_id, message, ctx, session, callback_answer, from_list=from_list
        )
        return
    if callback_data.answer == "yes":
        if await cancel_or_explain(ctx, session, callback_data.shift_id, callback_answer):
            callback_answer.text = _("Your place was cancelled.")
            done = _("Your place was cancelled and offered to the next person waiting.")
        else:
            done = callback_answer.text or ""
    else:
        callback_answer.text = _("You keep your place.")
        done = _("You keep your place. See you there!")
    if from_list:
        text, markup, _places = await _places_message(session, ctx)
        await _edit(message, text, markup)
    else:
        await _edit(message, done, None)


async def _ask_to_leave(
    shift_id: int,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
    *,
    from_list: bool = True,
) -> None:
    places = await shifts.my_places(session, ctx.user_id, ctx.now)
    place = next((p for p in places if p.shift.id == shift_id), None)
    if place is None:
        callback_answer.text = _("You have no place on this shift.")
        callback_answer.show_alert = True
        if from_list:  # given up elsewhere since: the list shows what is left
            text, markup, _places = await _places_message(session, ctx)
            await _edit(message, text, markup)
        return
    text, markup = leave_question(place, ctx, "list" if from_list else "notice")
    if from_list:
        await _edit(message, text, markup)
    else:
        await message.answer(text, reply_markup=markup)


def leave_question(
    place: shifts.Place, ctx: Context, origin: str
) -> tuple[str, InlineKeyboardMarkup]:
    """ "Do you really want to leave the shift on Saturday 5 December at 9:00, …?" """
    shift = place.shift
    title = html.escape(pick(shift.project_title, ctx.locale, ctx.default_locale))
    moment = near_when(shift.start_at, ctx.now, ctx.locale, ctx.zone)
    if place.status == SignupStatus.CONFIRMED:
        question = _("Do you really want to leave the shift {when}, <b>{title}</b>?")
    else:
        question = _(
            "Do you really want to leave the waitlist of the shift {when}, <b>{title}</b>?"
        )
    text = question.format(when=moment, title=title)
    where = where_text(shift, ctx.locale, ctx.default_locale)
    text += "\n" + where if where else ""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, I'm leaving the shift"),
        callback_data=PlaceLeave(answer="yes", shift_id=shift.id, origin=origin),
    )
    builder.button(
        text=_("No, I'll keep my place"),
        callback_data=PlaceLeave(answer="no", shift_id=shift.id, origin=origin),
    )
    builder.adjust(1)
    return text, builder.as_markup()


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    with contextlib.suppress(TelegramBadRequest):  # "not modified": a second press
        await message.edit_text(text, reply_markup=markup)


async def send_calendar(
    query: CallbackQuery,
    callback_data: PlaceCalendar,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    places = await shifts.my_places(session, ctx.user_id, ctx.now)
    chosen = [p for p in places if callback_data.shift_id in (0, p.shift.id)]
    if not chosen:
        callback_answer.text = _("You have no place on this shift.")
        callback_answer.show_alert = True
        return
    locale, default = ctx.locale, ctx.default_locale
    entries = [calendar_entry(place.shift, locale, default) for place in chosen]
    if callback_data.shift_id == 0:
        name = _("my-shifts") + ".ics"
        caption = _("📅 Your upcoming shifts: open the file to add them to your calendar.")
    else:
        [entry] = entries
        name = calendar_file(entry.title, entry.start, ctx.zone)
        caption = _("📅 {title}, {when}: open the file to add it to your calendar.").format(
            title=html.escape(entry.title), when=when(chosen[0].shift, locale, ctx.zone)
        )
    await message.answer_document(
        BufferedInputFile(ics(entries, ctx.zone), filename=name), caption=caption
    )


def calendar_entry(shift: shifts.ShiftInfo, locale: str, default: str) -> CalendarEntry:
    """The shift in a calendar: where is the place, the hub and its address, with the pin."""
    hub = shift.hub
    where = [pick(shift.place, locale, default)] if shift.place else []
    if hub is not None:
        where += [hub.name, hub.address]
    return CalendarEntry(
        uid=f"shift-{shift.id}@quartiere-bot",
        title=pick(shift.project_title, locale, default),
        start=shift.start_at,
        end=shift.end_at,
        location=", ".join(where) or None,
        geo=None if hub is None else (hub.lat, hub.lon),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_places, Command(*names("shifts")))
    router.callback_query.register(cancel_place, PlaceCancel.filter())
    router.callback_query.register(leave_place, PlaceLeave.filter())
    router.callback_query.register(send_calendar, PlaceCalendar.filter())
    return router
