"""A shift's tutors are told, through the outbox, of places given up or taken from the
waitlist in the last 48 hours before it starts, and of a shift left with nobody."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.volunteering import shifts
from storage.models import Delivery
from tests.support.fixtures import ROME, TEST_NOW
from tests.volunteering.register import Register

ZONE = "Europe/Rome"
TUTORS = (7001, 7002)  # of the gardens, in tests/data/projects.yaml
# The day before the Sunday shift (6 December, 09:00).
THE_DAY_BEFORE = datetime(2026, 12, 5, 10, 0, tzinfo=ROME)


async def _told(session_factory: async_sessionmaker[AsyncSession]) -> list[tuple[int, str, str]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(Delivery.recipient_id, Delivery.params, Delivery.priority)
            .where(Delivery.message_key == "shift.staff_change")
            .order_by(Delivery.id)
        )
        return [(tutor, params["event"], params["volunteer"]) for tutor, params, _ in rows]


async def test_tutors_are_told_of_a_late_cancellation_the_promotion_and_an_empty_shift(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    sunday = shift_ids["orti-sun"]  # one place
    for person in (201, 202):
        await enrol(person)
        async with session_factory() as session:
            await shifts.sign_up(session, person, sunday, TEST_NOW)
    async with session_factory() as session:
        await shifts.cancel_place(session, 201, sunday, THE_DAY_BEFORE, zone=ZONE)
    assert sorted(await _told(session_factory)) == sorted(
        (tutor, event, "Anna Rossi") for tutor in TUTORS for event in ("cancelled", "promoted")
    )
    async with session_factory() as session:
        await shifts.cancel_place(session, 202, sunday, THE_DAY_BEFORE, zone=ZONE)
    told = (await _told(session_factory))[4:]
    assert sorted(told) == sorted(
        [(tutor, "cancelled", "Anna Rossi") for tutor in TUTORS]
        + [(tutor, "empty", "") for tutor in TUTORS]
    )


async def test_an_early_cancellation_is_not_told_unless_it_empties_the_shift(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    saturday = shift_ids["orti-sat"]  # ten places
    for person in (201, 202):
        await enrol(person)
        async with session_factory() as session:
            await shifts.sign_up(session, person, saturday, TEST_NOW)
    async with session_factory() as session:
        await shifts.cancel_place(session, 201, saturday, TEST_NOW, zone=ZONE)
    assert await _told(session_factory) == []
    async with session_factory() as session:
        await shifts.cancel_place(session, 202, saturday, TEST_NOW, zone=ZONE)
    assert sorted(await _told(session_factory)) == [(tutor, "empty", "") for tutor in TUTORS]
