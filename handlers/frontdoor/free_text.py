"""Free text outside a conversation: the matcher's intent, answered like the button or command."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.frontdoor import doors
from bot.services.frontdoor.intents import Kind, understand
from bot.services.hubs import finder as hubs
from bot.services.people import users
from bot.telegram.context import Context
from handlers.frontdoor.doors import open_door
from handlers.frontdoor.replies import greet, not_understood, welcome_thanks
from handlers.hubs import finder
from handlers.shared.callbacks import HubQuartiere, HubService

# cache: a constant lookup table, only read
COMMAND_OF = {
    Kind.HUBS: "hubs",
    Kind.EVENTS: "events",
    Kind.VOLUNTEER: "volunteer",
    Kind.SHIFTS: "shifts",
    Kind.HOURS: "myhours",
    Kind.SETTINGS: "settings",
}


async def _service_near_home(
    session: AsyncSession, service_id: int, profile: users.Profile | None
) -> HubService:
    """The only place the bot knows for a person is their home quartiere: nearest to it first."""
    home = profile.home_quartiere if profile else None
    centre = await hubs.quartiere_centre(session, home) if home else None
    if centre is None:
        return HubService(service_id=service_id)
    lat, lon = centre
    return HubService(service_id=service_id, lat_e4=round(lat * 10_000), lon_e4=round(lon * 10_000))


async def understand_text(
    message: Message, ctx: Context, session: AsyncSession, **data: Any
) -> None:
    intent = understand(message.text or "", await doors.vocabulary(session))
    if intent.kind is Kind.SERVICE and intent.key is not None:
        chosen = await _service_near_home(session, intent.key, data.get("profile"))
        await finder.show_service_hubs(message, ctx, session, chosen)
    elif intent.kind is Kind.QUARTIERE and intent.key is not None:
        await finder.show_quartiere_hubs(message, ctx, session, HubQuartiere(key=intent.key))
    elif intent.kind in COMMAND_OF:
        await open_door(COMMAND_OF[intent.kind], message, ctx, {"session": session, **data})
    elif intent.kind is Kind.GREETING:
        await greet(message, ctx, session)
    elif intent.kind is Kind.THANKS:
        await welcome_thanks(message)
    else:
        await not_understood(message, ctx, session)
