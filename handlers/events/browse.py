"""/events: upcoming greenway events, "I'll come", map pins, calendar files, following."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.i18n import pick
from bot.services.events import upcoming as events
from bot.services.volunteering.calendar import CalendarEntry, ics
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.settings import Settings
from handlers.events.views import (
    following_markup,
    following_text,
    greenway_choice_markup,
    page_markup,
    page_text,
)
from handlers.shared.callbacks import EventAct, EventFollow, EventGreenways, EventList


def refusal_text(refusal: events.Refusal) -> str:
    texts = {
        events.Refusal.UNKNOWN_EVENT: _("This event is no longer in the catalog."),
        events.Refusal.EVENT_CANCELLED: _("This event has been cancelled."),
        events.Refusal.EVENT_OVER: _("This event has already started."),
        events.Refusal.UNKNOWN_GREENWAY: _("This greenway is no longer in the catalog."),
    }
    return texts[refusal]


async def _page(
    session: AsyncSession,
    user_id: int,
    choice: EventList,
    settings: Settings,
    clock: Clock,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    page = await events.upcoming_events(
        session,
        user_id,
        clock.now(),
        greenway_id=choice.greenway_id or None,
        page=choice.page,
    )
    text = page_text(page, locale, settings.default_locale, settings.timezone)
    return text, page_markup(page)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        # A stale button that changes nothing; the message already shows the truth.
        if "message is not modified" not in str(error):
            raise


async def show_events(
    message: Message, session: AsyncSession, settings: Settings, clock: Clock, i18n: I18n
) -> None:
    assert message.from_user is not None
    text, markup = await _page(
        session, message.from_user.id, EventList(), settings, clock, i18n.current_locale
    )
    await message.answer(text, reply_markup=markup)


async def page_events(
    query: CallbackQuery,
    callback_data: EventList,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    await query.answer()
    text, markup = await _page(
        session, query.from_user.id, callback_data, settings, clock, i18n.current_locale
    )
    await _edit(query, text, markup)


async def choose_greenway(
    query: CallbackQuery, session: AsyncSession, settings: Settings, i18n: I18n
) -> None:
    await query.answer()
    following = await events.following(session, query.from_user.id)
    markup = greenway_choice_markup(
        following.greenways, i18n.current_locale, settings.default_locale
    )
    await _edit(query, _("Which greenway?"), markup)


async def rsvp(
    query: CallbackQuery,
    callback_data: EventAct,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    """ "I'll come" / "I won't come", from the /events page or from a notice."""
    user_id, event_id = query.from_user.id, callback_data.event_id
    try:
        if callback_data.action == "go":
            policy = ReminderPolicy.from_settings(settings)
            _event, reminders = await events.will_come(
                session, user_id, event_id, clock.now(), policy
            )
            answer = (
                _("See you there! You will be reminded before it starts.")
                if reminders
                else _("See you there!")
            )
        else:
            await events.wont_come(session, user_id, event_id, clock.now())
            answer = _("Noted: you will not come.")
    except events.EventError as error:
        await query.answer(refusal_text(error.refusal), show_alert=True)
        return
    await query.answer(answer)
    if callback_data.page >= 0:
        choice = EventList(page=callback_data.page, greenway_id=callback_data.greenway_id)
        text, markup = await _page(session, user_id, choice, settings, clock, i18n.current_locale)
        await _edit(query, text, markup)


async def pin_or_calendar(
    query: CallbackQuery,
    callback_data: EventAct,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
) -> None:
    """📍 sends the map pin, 📅 the event as an .ics file."""
    try:
        event = await events.event_details(session, query.from_user.id, callback_data.event_id)
    except events.EventError as error:
        await query.answer(refusal_text(error.refusal), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    locale, default = i18n.current_locale, settings.default_locale
    title = pick(event.title, locale, default)
    place = pick(event.place, locale, default) if event.place else None
    if callback_data.action == "map":
        if event.lat is not None and event.lon is not None:
            address = place or pick(event.greenway_name, locale, default)
            await query.message.answer_venue(
                latitude=event.lat, longitude=event.lon, title=title[:128], address=address[:256]
            )
        return
    entry = CalendarEntry(
        uid=f"event-{event.id}@quartiere-bot",
        title=title,
        start=event.start_at,
        end=event.end_at,
        location=place,
        description=pick(event.description, locale, default) or None,
    )
    await query.message.answer_document(
        BufferedInputFile(ics([entry], settings.timezone), filename=f"event-{event.id}.ics")
    )


async def follow(
    query: CallbackQuery,
    callback_data: EventFollow,
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    i18n: I18n,
) -> None:
    user_id, on = query.from_user.id, callback_data.on
    try:
        if callback_data.target == "greenway":
            following = await events.follow_greenway(
                session, user_id, callback_data.greenway_id, on, clock.now()
            )
        elif callback_data.target == "all":
            following = await events.follow_every_greenway(session, user_id, on)
        elif callback_data.target == "digest":
            following = await events.set_digest(session, user_id, on)
        else:
            following = await events.following(session, user_id)
    except events.EventError as error:
        await query.answer(refusal_text(error.refusal), show_alert=True)
        return
    await query.answer(_("Saved.") if callback_data.target != "menu" else None)
    locale, default = i18n.current_locale, settings.default_locale
    await _edit(
        query,
        following_text(following, locale, default),
        following_markup(following, locale, default),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_events, Command("events"))
    router.callback_query.register(page_events, EventList.filter())
    router.callback_query.register(choose_greenway, EventGreenways.filter())
    router.callback_query.register(rsvp, EventAct.filter(F.action.in_({"go", "nogo"})))
    router.callback_query.register(pin_or_calendar, EventAct.filter(F.action.in_({"map", "ics"})))
    router.callback_query.register(
        follow, EventFollow.filter(F.target.in_({"menu", "greenway", "all", "digest"}))
    )
    return router
