"""Editing greenway events in tests: the form as the page sends it, people, what was kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.events import upcoming as events
from bot.services.people.users import record_visit
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.models import AuditEntry, Delivery, Event
from tests.support.fixtures import ROME, TEST_NOW

FOLLOWER, GOING, BYSTANDER = 721, 722, 723
POLICY = ReminderPolicy(zone=ROME)


def form(**changes: str) -> dict[str, Any]:
    """A valid new event on Saturday 19 December 2026, as the page's form sends it."""
    values = {
        "title_it": "Camminata d'inverno",
        "title_en": "Winter walk",
        "description_it": "Due ore lungo il torrente.",
        "description_en": "Two hours along the stream.",
        "place_it": "Ponte di San Pellegrino",
        "place_en": "San Pellegrino bridge",
        "start": "2026-12-19T10:00",
        "end": "2026-12-19T12:00",
        "lat": "44.6838",
        "lon": "10.63",
    }
    values.update(changes)
    return values


async def follow_and_go(sessions: async_sessionmaker[AsyncSession], event_id: int) -> None:
    """FOLLOWER follows every event's greenway (crostolo); GOING said they will come."""
    async with sessions() as session:
        for person in (FOLLOWER, GOING, BYSTANDER):
            await record_visit(session, person, "en", TEST_NOW)
        await session.commit()
    async with sessions() as session:
        event = await session.get(Event, event_id)
        assert event is not None
        await events.follow_greenway(session, FOLLOWER, event.greenway_id, True, TEST_NOW)
    async with sessions() as session:
        await events.will_come(session, GOING, event_id, TEST_NOW, POLICY)


async def queued(sessions: async_sessionmaker[AsyncSession], kind: str) -> list[int]:
    """Recipients of the queued notices of one message (event.new, event.changed, ...)."""
    async with sessions() as session:
        rows = await session.scalars(select(Delivery).where(Delivery.message_key == kind))
        return sorted(row.recipient_id for row in rows)


async def audit_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> list[tuple[int | None, str, str]]:
    async with sessions() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.action.startswith("event.")).order_by(AuditEntry.id)
        )
        return [(row.actor, row.action, row.target) for row in rows]


async def stored(sessions: async_sessionmaker[AsyncSession], event_id: int) -> Event:
    async with sessions() as session:
        for person in (FOLLOWER, GOING, BYSTANDER):
            await record_visit(session, person, "en", TEST_NOW)
        await session.commit()
    async with sessions() as session:
        event = await session.get(Event, event_id)
        assert event is not None
        return event
