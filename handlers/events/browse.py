"""/events: upcoming greenway events, each with its card ("I'll come", map, calendar), following."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.file_names import calendar_file
from bot.i18n import event_when, pick
from bot.services.events import upcoming as events
from bot.services.events.info import EventInfo
from bot.services.volunteering.calendar import CalendarEntry, ics
from bot.telegram.context import Context
from handlers.events.views import (
    card_markup,
    card_text,
    following_markup,
    following_text,
    going_line,
    greenway_choice_markup,
    page_markup,
    page_text,
    rsvp_button,
)
from handlers.shared.callbacks import EventAct, EventFollow, EventGreenways, EventList, EventOpen
from handlers.shared.commands import names


def refusal_text(refusal: events.Refusal) -> str:
    texts = {
        events.Refusal.UNKNOWN_EVENT: _("This event is no longer in the catalogue."),
        events.Refusal.EVENT_CANCELLED: _("This event has been cancelled."),
        events.Refusal.EVENT_OVER: _("This event has already started."),
        events.Refusal.UNKNOWN_GREENWAY: _("This greenway is no longer in the catalogue."),
    }
    return texts[refusal]


async def _event_or_refusal(
    session: AsyncSession, ctx: Context, event_id: int, callback_answer: CallbackAnswer
) -> EventInfo | None:
    """The event as this person sees it, or None with the refusal shown as an alert."""
    try:
        return await events.event_details(session, ctx.user_id, event_id)
    except events.EventError as error:
        callback_answer.text = refusal_text(error.refusal)
        callback_answer.show_alert = True
        return None


async def _page(
    session: AsyncSession, ctx: Context, choice: EventList
) -> tuple[str, InlineKeyboardMarkup]:
    page = await events.upcoming_events(
        session,
        ctx.user_id,
        ctx.now,
        greenway_id=choice.greenway_id or None,
        page=choice.page,
    )
    text = page_text(page, ctx.locale, ctx.default_locale, ctx.zone, ctx.now)
    return text, page_markup(page, ctx.locale, ctx.default_locale)


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup) -> None:
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        # A stale button that changes nothing; the message already shows the truth.
        if "message is not modified" not in str(error):
            raise


async def show_events(message: Message, ctx: Context, session: AsyncSession) -> None:
    text, markup = await _page(session, ctx, EventList())
    await message.answer(text, reply_markup=markup)


async def page_events(
    query: CallbackQuery,
    callback_data: EventList,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    text, markup = await _page(session, ctx, callback_data)
    await _edit(message, text, markup)


async def choose_greenway(
    query: CallbackQuery, message: Message, ctx: Context, session: AsyncSession
) -> None:
    following = await events.following(session, ctx.user_id)
    markup = greenway_choice_markup(following.greenways, ctx.locale, ctx.default_locale)
    await _edit(message, _("Which greenway?"), markup)


async def open_event(
    query: CallbackQuery,
    callback_data: EventOpen,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """The event's card in place of the page: details, "I'll come", map, calendar, back."""
    event = await _event_or_refusal(session, ctx, callback_data.event_id, callback_answer)
    if event is None:
        return
    await _show_card(message, ctx, event, callback_data.page, callback_data.greenway_id)


async def _show_card(
    message: Message, ctx: Context, event: EventInfo, page: int, greenway_id: int
) -> None:
    text = card_text(event, ctx.locale, ctx.default_locale, ctx.zone, ctx.now)
    await _edit(message, text, card_markup(event, page, greenway_id))


async def rsvp(
    query: CallbackQuery,
    callback_data: EventAct,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """ "I'll come" / "Cancel", from an event's card, a notice or an older page of /events."""
    user_id, event_id = ctx.user_id, callback_data.event_id
    try:
        if callback_data.action in {"go", "join"}:
            event, reminders = await events.will_come(
                session, user_id, event_id, ctx.now, ctx.reminders
            )
            callback_answer.text = (
                _("See you there! You will be reminded before it starts.")
                if reminders
                else _("See you there!")
            )
        else:
            event = await events.wont_come(session, user_id, event_id, ctx.now)
            callback_answer.text = _("Noted: you will not come.")
    except events.EventError as error:
        callback_answer.text = refusal_text(error.refusal)
        callback_answer.show_alert = True
        return
    if callback_data.action in {"join", "leave"}:
        await _show_card(message, ctx, event, callback_data.page, callback_data.greenway_id)
    elif callback_data.page >= 0:
        choice = EventList(page=callback_data.page, greenway_id=callback_data.greenway_id)
        text, markup = await _page(session, ctx, choice)
        await _edit(message, text, markup)
    else:
        await _mark_notice(message, event_id, event.going)


async def _mark_notice(message: Message, event_id: int, going: bool) -> None:
    """A notice answered: its text says the new state, its button becomes the undo."""
    if message.reply_markup is None:
        return
    text = message.html_text
    for line in (going_line(True), going_line(False)):
        text = text.removesuffix("\n\n" + line)
    undo = rsvp_button(event_id, going, page=-1, greenway_id=0)
    rows = [
        [undo if _is_rsvp(pressed, event_id) else pressed for pressed in row]
        for row in message.reply_markup.inline_keyboard
    ]
    await _edit(
        message, text + "\n\n" + going_line(going), InlineKeyboardMarkup(inline_keyboard=rows)
    )


def _is_rsvp(pressed: InlineKeyboardButton, event_id: int) -> bool:
    if not pressed.callback_data or not pressed.callback_data.startswith(EventAct.__prefix__ + ":"):
        return False
    try:
        act = EventAct.unpack(pressed.callback_data)
    except (TypeError, ValueError):
        return False
    return act.event_id == event_id and act.action in {"go", "nogo"}


async def pin_or_calendar(
    query: CallbackQuery,
    callback_data: EventAct,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """📍 sends the map pin, 📅 the event as an .ics file."""
    event = await _event_or_refusal(session, ctx, callback_data.event_id, callback_answer)
    if event is None:
        return
    locale, default = ctx.locale, ctx.default_locale
    title = pick(event.title, locale, default)
    place = pick(event.place, locale, default) if event.place else None
    if callback_data.action == "map":
        if event.lat is not None and event.lon is not None:
            address = place or pick(event.greenway_name, locale, default)
            await message.answer_venue(
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
        geo=(event.lat, event.lon) if event.lat is not None and event.lon is not None else None,
    )
    caption = _("📅 {title}, {when}: open the file to add it to your calendar.").format(
        title=html.escape(title), when=event_when(event.start_at, event.end_at, locale, ctx.zone)
    )
    await message.answer_document(
        BufferedInputFile(
            ics([entry], ctx.zone), filename=calendar_file(title, event.start_at, ctx.zone)
        ),
        caption=caption,
    )


async def follow(
    query: CallbackQuery,
    callback_data: EventFollow,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    user_id, on = ctx.user_id, callback_data.on
    try:
        if callback_data.target == "greenway":
            following = await events.follow_greenway(
                session, user_id, callback_data.greenway_id, on, ctx.now
            )
        elif callback_data.target == "all":
            following = await events.follow_every_greenway(session, user_id, on)
        elif callback_data.target == "digest":
            following = await events.set_digest(session, user_id, on)
        else:
            following = await events.following(session, user_id)
    except events.EventError as error:
        callback_answer.text = refusal_text(error.refusal)
        callback_answer.show_alert = True
        return
    if callback_data.target != "menu":
        callback_answer.text = _("Saved.")
    locale, default = ctx.locale, ctx.default_locale
    await _edit(
        message,
        following_text(following, locale, default),
        following_markup(following, locale, default),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_events, Command(*names("events")))
    router.callback_query.register(page_events, EventList.filter())
    router.callback_query.register(choose_greenway, EventGreenways.filter())
    router.callback_query.register(open_event, EventOpen.filter())
    router.callback_query.register(
        rsvp, EventAct.filter(F.action.in_({"go", "nogo", "join", "leave"}))
    )
    router.callback_query.register(pin_or_calendar, EventAct.filter(F.action.in_({"map", "ics"})))
    router.callback_query.register(
        follow, EventFollow.filter(F.target.in_({"menu", "greenway", "all", "digest"}))
    )
    return router
