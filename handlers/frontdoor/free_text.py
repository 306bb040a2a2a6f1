"""Free text outside a conversation: the matcher's intent, answered like the button or command."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.frontdoor import doors
from bot.services.frontdoor.intents import Kind, understand
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


async def understand_text(
    message: Message, ctx: Context, session: AsyncSession, **data: Any
) -> None:
    intent = understand(message.text or "", await doors.vocabulary(session))
    if intent.kind is Kind.SERVICE and intent.key is not None:
        await finder.show_service_hubs(message, ctx, session, HubService(service_id=intent.key))
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
