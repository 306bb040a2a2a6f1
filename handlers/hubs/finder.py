"""The hub finder: /hubs, a location at any moment, filters by quartiere and by service."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_distance, pick
from bot.services.hubs import finder as hubs
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.hubs.views import details_text, list_text
from handlers.settings.quartiere import ask_quartiere_once
from handlers.shared.callbacks import HubAction, HubQuartiere, HubQuartieri, HubService, HubServices
from handlers.shared.commands import names

PageMaker = Callable[[int], CallbackData]
PAGE = 5
CHOICES_PAGE = 8


def _e4(value: float) -> int:
    return round(value * 10_000)


def location_keyboard() -> ReplyKeyboardMarkup:
    button = KeyboardButton(text=_("📍 Send my location"), request_location=True)
    return ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True)


def filter_buttons(
    lat_e4: int | None = None, lon_e4: int | None = None
) -> list[InlineKeyboardButton]:
    return [
        button(_("🏘 By quartiere"), HubQuartieri()),
        button(_("🧰 By service"), HubServices(lat_e4=lat_e4, lon_e4=lon_e4)),
    ]


def hub_buttons(cards: list[hubs.HubCard], first: int) -> list[list[InlineKeyboardButton]]:
    """📍 and ℹ️ for each listed hub, two hubs a row."""
    flat = []
    for number, card in enumerate(cards, start=first):
        flat.append(_hub_button(f"📍 {number}", "map", card.id))
        flat.append(_hub_button(_("ℹ️ {number}").format(number=number), "info", card.id))
    return in_rows(flat, 4)


# Every list shows these buttons again; built once, they are only serialised after that.
@lru_cache(maxsize=4096)
def _hub_button(text: str, action: str, hub_id: int) -> InlineKeyboardButton:
    return button(text, HubAction(action=action, hub_id=hub_id))


async def ask_where(message: Message) -> None:
    await message.answer(
        _(
            "Let's find a Casa di quartiere (community hub). Send your location with the button "
            "below (it is used for this answer only and never stored), or choose a quartiere "
            "(neighbourhood) or a service."
        ),
        reply_markup=location_keyboard(),
    )
    await message.answer(_("Or choose:"), reply_markup=markup([filter_buttons()]))


async def nearest(message: Message, ctx: Context, session: AsyncSession) -> None:
    assert message.location is not None
    lat, lon = message.location.latitude, message.location.longitude
    found = await hubs.nearest_hubs(session, lat, lon, zone=ctx.zone, now=ctx.now)
    if not found.hubs:
        await message.answer(_("There are no hubs in the catalogue yet."))
        return
    locale = ctx.locale
    heading = _("<b>The nearest Case di quartiere</b>")
    if found.far_away:
        assert found.nearest_distance_m is not None
        heading = _(
            "You seem to be far from the city: the nearest Casa di quartiere is {distance} "
            "away. Choose a quartiere to see its hubs, or here are the nearest:"
        ).format(distance=format_distance(found.nearest_distance_m, locale))
    cards = list(found.hubs)
    rows = [*hub_buttons(cards, 1), filter_buttons(_e4(lat), _e4(lon))]
    await message.answer(
        list_text(heading, cards, 1, locale, ctx.default_locale), reply_markup=markup(rows)
    )
    # Once per person, in a message of its own: the quartiere they live in, this one first.
    await ask_quartiere_once(
        message, ctx, session, near=None if found.far_away else cards[0].quartiere
    )


async def hub_button(
    query: CallbackQuery,
    callback_data: HubAction,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """📍 sends the map pin, ℹ️ the full details with the week's hours."""
    details = await hubs.hub_details(session, callback_data.hub_id, zone=ctx.zone, now=ctx.now)
    if details is None:
        callback_answer.text = _("This hub is no longer in the catalogue.")
        callback_answer.show_alert = True
        return
    card = details.card
    if callback_data.action == "map":
        await message.answer_venue(
            latitude=card.lat, longitude=card.lon, title=card.name[:128], address=card.address[:256]
        )
        return
    pin = button(_("📍 Map"), HubAction(action="map", hub_id=card.id))
    await message.answer(
        details_text(details, ctx.locale, ctx.default_locale),
        reply_markup=markup([[pin]]),
    )


def _navigation(total: int, page: int, size: int, make: PageMaker) -> list[InlineKeyboardButton]:
    """◀️ ▶️ under a list of `total` items shown `size` at a time."""
    pages = max(1, -(-total // size))
    row = []
    if page > 0:
        row.append(button("◀️", make(page - 1)))
    if page < pages - 1:
        row.append(button("▶️", make(page + 1)))
    return row


async def _offer_choices(
    message: Message,
    choices: list[hubs.Choice],
    page: int,
    *,
    prompt: str,
    width: int,
    choose: Callable[[hubs.Choice], CallbackData],
    turn_to: PageMaker,
    names: Callable[[hubs.Choice], str],
) -> None:
    """One page of choices as buttons, `width` a row, with ◀️ ▶️ under them."""
    page = max(0, page)
    shown = [
        button(names(choice)[:60], choose(choice))
        for choice in choices[page * CHOICES_PAGE : (page + 1) * CHOICES_PAGE]
    ]
    rows = [*in_rows(shown, width), _navigation(len(choices), page, CHOICES_PAGE, turn_to)]
    await message.answer(prompt, reply_markup=markup(rows))


async def choose_service(
    query: CallbackQuery,
    callback_data: HubServices,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    choices = await hubs.service_choices(session)
    if not choices:
        await message.answer(_("No hub lists its services yet."))
        return
    here = {"lat_e4": callback_data.lat_e4, "lon_e4": callback_data.lon_e4}
    await _offer_choices(
        message,
        choices,
        callback_data.page,
        prompt=_("Which service do you need?"),
        width=1,
        choose=lambda choice: HubService(service_id=choice.key, **here),
        turn_to=lambda p: callback_data.model_copy(update={"page": p}),
        names=lambda choice: pick(choice.name, ctx.locale, ctx.default_locale),
    )


async def hubs_with_service(
    query: CallbackQuery,
    callback_data: HubService,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    await show_service_hubs(message, ctx, session, callback_data)


async def show_service_hubs(
    message: Message, ctx: Context, session: AsyncSession, callback_data: HubService
) -> None:
    """The hubs offering a service, nearest first when the button carries a location."""
    origin = None
    if callback_data.lat_e4 is not None and callback_data.lon_e4 is not None:
        origin = (callback_data.lat_e4 / 10_000, callback_data.lon_e4 / 10_000)
    cards = await hubs.hubs_offering(
        session, callback_data.service_id, zone=ctx.zone, now=ctx.now, origin=origin
    )
    name = await hubs.service_name(session, callback_data.service_id)
    if name is None or not cards:
        await message.answer(_("No hub offers this service at the moment."))
        return
    service = html.escape(pick(name, ctx.locale, ctx.default_locale))
    heading = _("<b>Where to find: {service}</b>").format(service=service)
    await _send_page(
        message,
        heading,
        cards,
        callback_data.page,
        ctx,
        lambda p: callback_data.model_copy(update={"page": p}),
    )


async def choose_quartiere(
    query: CallbackQuery,
    callback_data: HubQuartieri,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    choices = await hubs.quartiere_choices(session)
    if not choices:
        await message.answer(_("There are no hubs in the catalogue yet."))
        return
    await _offer_choices(
        message,
        choices,
        callback_data.page,
        prompt=_("Which quartiere?"),
        width=2,
        choose=lambda choice: HubQuartiere(key=choice.key),
        turn_to=lambda p: HubQuartieri(page=p),
        names=lambda choice: pick(choice.name, ctx.locale, ctx.default_locale),
    )


async def hubs_in_quartiere(
    query: CallbackQuery,
    callback_data: HubQuartiere,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    await show_quartiere_hubs(message, ctx, session, callback_data)


async def show_quartiere_hubs(
    message: Message, ctx: Context, session: AsyncSession, callback_data: HubQuartiere
) -> None:
    found = await hubs.hubs_for_quartiere(session, callback_data.key, zone=ctx.zone, now=ctx.now)
    if found is None or not found.hubs:
        await message.answer(_("There are no hubs in the catalogue yet."))
        return
    quartiere = html.escape(found.name)
    heading = (
        _("There is no Casa di quartiere in {quartiere}; these are the nearest to it:")
        if found.nearest_instead
        else _("<b>Case di quartiere in {quartiere}</b>")
    ).format(quartiere=quartiere)
    await _send_page(
        message,
        heading,
        list(found.hubs),
        callback_data.page,
        ctx,
        lambda p: callback_data.model_copy(update={"page": p}),
    )


async def _send_page(
    message: Message,
    heading: str,
    cards: list[hubs.HubCard],
    page: int,
    ctx: Context,
    make: PageMaker,
) -> None:
    pages = max(1, -(-len(cards) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = cards[page * PAGE : (page + 1) * PAGE]
    first = page * PAGE + 1
    rows = [*hub_buttons(shown, first), _navigation(len(cards), page, PAGE, make)]
    text = list_text(heading, shown, first, ctx.locale, ctx.default_locale)
    await message.answer(text, reply_markup=markup(rows))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_where, Command(*names("hubs")))
    router.message.register(nearest, F.location)
    router.callback_query.register(hub_button, HubAction.filter(F.action.in_({"map", "info"})))
    router.callback_query.register(choose_service, HubServices.filter())
    router.callback_query.register(hubs_with_service, HubService.filter())
    router.callback_query.register(choose_quartiere, HubQuartieri.filter())
    router.callback_query.register(hubs_in_quartiere, HubQuartiere.filter())
    return router
