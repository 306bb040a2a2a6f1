"""The hub finder: /hubs, a location at any moment, filters by quartiere and by service.

Pressing a button edits its message in place: a list becomes the pressed hub's card, whose
back button turns it into the same list again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
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
from handlers.shared.callbacks import (
    FrontDoor,
    HubAction,
    HubNearby,
    HubOpen,
    HubQuartiere,
    HubQuartieri,
    HubService,
    HubServices,
)
from handlers.shared.commands import names
from handlers.shared.keyboards import item_label, short_label

PageMaker = Callable[[int], CallbackData]
PAGE = 5
# The lists a hub's card goes back to.
BACKS = frozenset({"near", "service", "quartiere"})
CHOICES_PAGE = 8


def _e4(value: float) -> int:
    return round(value * 10_000)


def quartiere_label() -> str:
    return _("🏘 By quartiere")


def service_label() -> str:
    return _("🧰 By service")


def location_keyboard() -> ReplyKeyboardMarkup:
    """The location button, with the two other ways to choose under it, in one bubble."""
    location = KeyboardButton(text=_("📍 Send my location"), request_location=True)
    choices = [KeyboardButton(text=quartiere_label()), KeyboardButton(text=service_label())]
    return ReplyKeyboardMarkup(
        keyboard=[[location], choices], resize_keyboard=True, one_time_keyboard=True
    )


def filter_buttons(
    lat_e4: int | None = None, lon_e4: int | None = None
) -> list[InlineKeyboardButton]:
    return [
        button(quartiere_label(), HubQuartieri()),
        button(service_label(), HubServices(lat_e4=lat_e4, lon_e4=lon_e4)),
    ]


def hub_buttons(cards: list[hubs.HubCard], back: HubOpen) -> list[list[InlineKeyboardButton]]:
    """One button per listed hub, named after it; it opens the hub's card in place."""
    where = (back.back, back.key, back.page, back.lat_e4, back.lon_e4)
    return [[_hub_button(item_label("ℹ️", card.name), card.id, where)] for card in cards]


ListPlace = tuple[str, int, int, int | None, int | None]


# Every list shows these buttons again; built once, they are only serialised after that.
@lru_cache(maxsize=4096)
def _hub_button(text: str, hub_id: int, where: ListPlace) -> InlineKeyboardButton:
    back, key, page, lat_e4, lon_e4 = where
    opened = HubOpen(hub_id=hub_id, back=back, key=key, page=page, lat_e4=lat_e4, lon_e4=lon_e4)
    return button(text, opened)


async def _show(message: Message, text: str, markup: InlineKeyboardMarkup, *, edit: bool) -> None:
    """Edits the message a button was pressed on, or answers a command or a location."""
    if not edit:
        await message.answer(text, reply_markup=markup)
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        # A double tap: the message already shows this.
        if "message is not modified" not in str(error):
            raise


async def ask_where(message: Message) -> None:
    await message.answer(
        _(
            "Let's find a Casa di quartiere (community hub). Send your location with the button "
            "below (it is used for this answer only and never stored), or choose a quartiere "
            "(neighbourhood) or a service."
        ),
        reply_markup=location_keyboard(),
    )


async def typed_quartiere(message: Message, ctx: Context, session: AsyncSession) -> None:
    """The "By quartiere" button of the keyboard under /hubs."""
    await _choose_quartiere(message, ctx, session, 0, edit=False)


async def typed_service(message: Message, ctx: Context, session: AsyncSession) -> None:
    """The "By service" button of the keyboard under /hubs."""
    await _choose_service(message, ctx, session, HubServices(), edit=False)


async def nearest(message: Message, ctx: Context, session: AsyncSession) -> None:
    assert message.location is not None
    lat, lon = message.location.latitude, message.location.longitude
    await _show_nearest(message, ctx, session, _e4(lat), _e4(lon), edit=False)


async def nearest_again(
    query: CallbackQuery,
    callback_data: HubNearby,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    """Back from a hub's card to the hubs nearest to the location sent before."""
    await _show_nearest(
        message, ctx, session, callback_data.lat_e4, callback_data.lon_e4, edit=True
    )


async def _show_nearest(
    message: Message, ctx: Context, session: AsyncSession, lat_e4: int, lon_e4: int, *, edit: bool
) -> None:
    lat, lon = lat_e4 / 10_000, lon_e4 / 10_000
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
    back = HubOpen(hub_id=0, back="near", lat_e4=lat_e4, lon_e4=lon_e4)
    rows = [*hub_buttons(cards, back), filter_buttons(lat_e4, lon_e4)]
    text = list_text(heading, cards, 1, locale, ctx.default_locale)
    await _show(message, text, markup(rows), edit=edit)
    if not edit:  # once per person, in a message of its own: their quartiere, this one first
        await ask_quartiere_once(
            message, ctx, session, near=None if found.far_away else cards[0].quartiere
        )


async def _details_or_refusal(
    session: AsyncSession, ctx: Context, hub_id: int, callback_answer: CallbackAnswer
) -> hubs.HubDetails | None:
    """The hub's details now, or None with an alert that it left the catalogue."""
    details = await hubs.hub_details(session, hub_id, zone=ctx.zone, now=ctx.now)
    if details is None:
        callback_answer.text = _("This hub is no longer in the catalogue.")
        callback_answer.show_alert = True
    return details


def _back_to_list(opened: HubOpen) -> CallbackData:
    if opened.back == "service":
        return HubService(
            service_id=opened.key, page=opened.page, lat_e4=opened.lat_e4, lon_e4=opened.lon_e4
        )
    if opened.back == "quartiere":
        return HubQuartiere(key=opened.key, page=opened.page)
    return HubNearby(lat_e4=opened.lat_e4 or 0, lon_e4=opened.lon_e4 or 0)


async def open_hub(
    query: CallbackQuery,
    callback_data: HubOpen,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """The hub's card in place of the list: details, the week's hours, the map, back."""
    details = await _details_or_refusal(session, ctx, callback_data.hub_id, callback_answer)
    if details is None:
        return
    rows = [
        [button(_("📍 Map"), HubAction(action="map", hub_id=details.card.id))],
        [button(_("◀️ Back to the list"), _back_to_list(callback_data))],
    ]
    text = details_text(details, ctx.locale, ctx.default_locale)
    await _show(message, text, markup(rows), edit=True)


async def hub_button(
    query: CallbackQuery,
    callback_data: HubAction,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    """📍 sends the map pin; ℹ️ (on lists of earlier versions) the details as a card."""
    details = await _details_or_refusal(session, ctx, callback_data.hub_id, callback_answer)
    if details is None:
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
    edit: bool,
) -> None:
    """One page of choices as buttons, `width` a row, with ◀️ ▶️ under them."""
    page = max(0, page)
    shown = [
        button(short_label(names(choice)), choose(choice))
        for choice in choices[page * CHOICES_PAGE : (page + 1) * CHOICES_PAGE]
    ]
    rows = [*in_rows(shown, width), _navigation(len(choices), page, CHOICES_PAGE, turn_to)]
    await _show(message, prompt, markup(rows), edit=edit)


async def choose_service(
    query: CallbackQuery,
    callback_data: HubServices,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    # The front door's button opens the choice under the front door, which stays.
    edit = not (message.reply_markup and _is_front_door(message.reply_markup))
    await _choose_service(message, ctx, session, callback_data, edit=edit)


def _is_front_door(reply_markup: InlineKeyboardMarkup) -> bool:
    return any(
        (pressed.callback_data or "").startswith(FrontDoor.__prefix__ + ":")
        for row in reply_markup.inline_keyboard
        for pressed in row
    )


async def _choose_service(
    message: Message, ctx: Context, session: AsyncSession, choice: HubServices, *, edit: bool
) -> None:
    choices = await hubs.service_choices(session)
    if not choices:
        await message.answer(_("No hub lists its services yet."))
        return
    here = {"lat_e4": choice.lat_e4, "lon_e4": choice.lon_e4}
    await _offer_choices(
        message,
        choices,
        choice.page,
        prompt=_("Which service do you need?"),
        width=1,
        choose=lambda item: HubService(service_id=item.key, **here),
        turn_to=lambda p: choice.model_copy(update={"page": p}),
        names=lambda item: pick(item.name, ctx.locale, ctx.default_locale),
        edit=edit,
    )


async def hubs_with_service(
    query: CallbackQuery,
    callback_data: HubService,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    await show_service_hubs(message, ctx, session, callback_data, edit=True)


async def show_service_hubs(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_data: HubService,
    *,
    edit: bool = False,
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
    back = HubOpen(
        hub_id=0,
        back="service",
        key=callback_data.service_id,
        lat_e4=callback_data.lat_e4,
        lon_e4=callback_data.lon_e4,
    )
    await _send_page(
        message,
        heading,
        cards,
        callback_data.page,
        ctx,
        lambda p: callback_data.model_copy(update={"page": p}),
        back,
        edit=edit,
    )


async def choose_quartiere(
    query: CallbackQuery,
    callback_data: HubQuartieri,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    await _choose_quartiere(message, ctx, session, callback_data.page, edit=True)


async def _choose_quartiere(
    message: Message, ctx: Context, session: AsyncSession, page: int, *, edit: bool
) -> None:
    choices = await hubs.quartiere_choices(session)
    if not choices:
        await message.answer(_("There are no hubs in the catalogue yet."))
        return
    await _offer_choices(
        message,
        choices,
        page,
        prompt=_("Which quartiere?"),
        width=2,
        choose=lambda choice: HubQuartiere(key=choice.key),
        turn_to=lambda p: HubQuartieri(page=p),
        names=lambda choice: pick(choice.name, ctx.locale, ctx.default_locale),
        edit=edit,
    )


async def hubs_in_quartiere(
    query: CallbackQuery,
    callback_data: HubQuartiere,
    message: Message,
    ctx: Context,
    session: AsyncSession,
) -> None:
    await show_quartiere_hubs(message, ctx, session, callback_data, edit=True)


async def show_quartiere_hubs(
    message: Message,
    ctx: Context,
    session: AsyncSession,
    callback_data: HubQuartiere,
    *,
    edit: bool = False,
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
        HubOpen(hub_id=0, back="quartiere", key=callback_data.key),
        edit=edit,
    )


async def _send_page(
    message: Message,
    heading: str,
    cards: list[hubs.HubCard],
    page: int,
    ctx: Context,
    make: PageMaker,
    back: HubOpen,
    *,
    edit: bool,
) -> None:
    pages = max(1, -(-len(cards) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = cards[page * PAGE : (page + 1) * PAGE]
    first = page * PAGE + 1
    back = back.model_copy(update={"page": page})
    rows = [*hub_buttons(shown, back), _navigation(len(cards), page, PAGE, make)]
    text = list_text(heading, shown, first, ctx.locale, ctx.default_locale)
    await _show(message, text, markup(rows), edit=edit)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(ask_where, Command(*names("hubs")))
    router.message.register(nearest, F.location)
    router.message.register(typed_quartiere, lambda message: message.text == quartiere_label())
    router.message.register(typed_service, lambda message: message.text == service_label())
    router.callback_query.register(open_hub, HubOpen.filter(F.back.in_(BACKS)))
    router.callback_query.register(nearest_again, HubNearby.filter())
    router.callback_query.register(hub_button, HubAction.filter(F.action.in_({"map", "info"})))
    router.callback_query.register(choose_service, HubServices.filter())
    router.callback_query.register(hubs_with_service, HubService.filter())
    router.callback_query.register(choose_quartiere, HubQuartieri.filter())
    router.callback_query.register(hubs_in_quartiere, HubQuartiere.filter())
    return router
