"""Opening a door: a front-door button or a recognised sentence does what its command does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.services.people.roles import Role
from bot.telegram.context import Context
from handlers.broadcast import compose as broadcast
from handlers.events import browse as events
from handlers.figures import reports as figures
from handlers.hours import approve, my_hours
from handlers.hubs import finder as hubs
from handlers.settings import preferences
from handlers.shared.callbacks import FrontDoor
from handlers.volunteering import my_shifts, projects

# cache: a constant lookup table, only read
OPENERS: dict[str, tuple[Callable[..., Awaitable[None]], Role]] = {
    "hubs": (hubs.ask_where, Role.CITIZEN),
    "events": (events.show_events, Role.CITIZEN),
    "volunteer": (projects.show_projects, Role.CITIZEN),
    "shifts": (my_shifts.show_places, Role.CITIZEN),
    "myhours": (my_hours.show_my_hours, Role.CITIZEN),
    "settings": (preferences.show_settings, Role.CITIZEN),
    "approve": (approve.show_pending, Role.TUTOR),
    "report": (figures.ask_report_period, Role.TUTOR),
    "broadcast": (broadcast.start, Role.ADMIN),
    "stats": (figures.ask_stats_period, Role.ADMIN),
}


async def open_door(command: str, message: Message, ctx: Context, data: dict[str, Any]) -> bool:
    """Runs the command's own handler with this update's data; False when not for this actor."""
    found = OPENERS.get(command)
    if found is None or not (await ctx.actor()).holds(found[1]):
        return False
    handler, _role = found
    arguments = {key: value for key, value in data.items() if key != "message"}
    await CallableObject(handler).call(message, ctx=ctx, **arguments)
    return True


async def door_pressed(
    query: CallbackQuery,
    callback_data: FrontDoor,
    message: Message,
    ctx: Context,
    callback_answer: CallbackAnswer,
    **data: Any,
) -> None:
    data["callback_answer"] = callback_answer
    if not await open_door(callback_data.command, message, ctx, data):
        callback_answer.text = _("This button is no longer valid.")


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(door_pressed, FrontDoor.filter())
    return router
