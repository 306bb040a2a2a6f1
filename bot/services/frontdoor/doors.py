"""Which doors the front door opens for one person, and the words its matcher knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.frontdoor.intents import Term, Vocabulary
from bot.services.hubs import finder
from bot.services.people.roles import Actor, Role
from bot.services.volunteering import register, shifts


@dataclass(frozen=True)
class Doors:
    my_shifts: bool  # upcoming places to look at
    my_hours: bool  # a volunteer, who may log and read hours
    role: Role


async def doors_for(session: AsyncSession, actor: Actor, now: datetime) -> Doors:
    """Read only: a volunteer's own shifts first, else their hours."""
    volunteer = await register.volunteer_status(session, actor.telegram_id) is not None
    places = volunteer and bool(await shifts.my_places(session, actor.telegram_id, now))
    return Doors(my_shifts=places, my_hours=volunteer and not places, role=actor.menu_role)


async def vocabulary(session: AsyncSession) -> Vocabulary:
    """The services some hub offers and the quartieri, as the hub finder knows them."""
    services = await finder.service_choices(session)
    quartieri = await finder.quartiere_choices(session)
    return Vocabulary(
        services=tuple(Term(c.key, tuple(c.name.values())) for c in services),
        quartieri=tuple(Term(c.key, tuple(c.name.values())) for c in quartieri),
    )
