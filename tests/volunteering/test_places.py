"""Places on shifts: capacity, waitlist, promotion, overlap, and simultaneous sign-ups."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import import_catalog_text
from bot.services.volunteering import shifts
from storage.models import Delivery, Signup
from tests.support.fixtures import DATA, ROME, TEST_NOW
from tests.volunteering.register import Register

ZONE = "Europe/Rome"


async def test_fifty_simultaneous_sign_ups_never_exceed_ten_places(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    people = range(100, 150)
    for person in people:
        await enrol(person)

    async def sign_up(person: int) -> shifts.Place:
        async with session_factory() as session:
            return await shifts.sign_up(session, person, shift_ids["orti-sat"], TEST_NOW)

    places = await asyncio.gather(*(sign_up(person) for person in people))
    assert sum(place.status == "confirmed" for place in places) == 10
    positions = sorted(place.position for place in places if place.status == "waitlisted")
    assert positions == list(range(1, 41))
    async with session_factory() as session:
        statuses = list(await session.scalars(select(Signup.status)))
    assert statuses.count("confirmed") == 10 and statuses.count("waitlisted") == 40


async def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    sunday = shift_ids["orti-sun"]  # one place
    for person in (201, 202, 203):
        await enrol(person)
        async with session_factory() as session:
            await shifts.sign_up(session, person, sunday, TEST_NOW)
    async with session_factory() as session:
        await shifts.cancel_place(session, 201, sunday, TEST_NOW, zone=ZONE)
    async with session_factory() as session:
        places = {p: await shifts.my_places(session, p, TEST_NOW) for p in (201, 202, 203)}
        [notice] = list(await session.scalars(select(Delivery)))
    assert places[201] == []
    assert (places[202][0].status, places[202][0].position) == ("confirmed", None)
    assert (places[203][0].status, places[203][0].position) == ("waitlisted", 1)
    assert (notice.recipient_id, notice.message_key, notice.priority) == (202, "shift.promoted", 0)

    async with session_factory() as session:  # 202 declines: 203 is next
        await shifts.cancel_place(session, 202, sunday, TEST_NOW, zone=ZONE)
    async with session_factory() as session:
        [place] = await shifts.my_places(session, 203, TEST_NOW)
        recipients = sorted(d.recipient_id for d in await session.scalars(select(Delivery)))
    assert place.status == "confirmed"
    assert recipients == [202, 203]


async def test_a_waitlisted_volunteer_who_leaves_frees_no_place(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    sunday = shift_ids["orti-sun"]
    for person in (211, 212, 213):
        await enrol(person)
        async with session_factory() as session:
            await shifts.sign_up(session, person, sunday, TEST_NOW)
    async with session_factory() as session:
        await shifts.cancel_place(session, 212, sunday, TEST_NOW, zone=ZONE)
    async with session_factory() as session:
        [third] = await shifts.my_places(session, 213, TEST_NOW)
        assert list(await session.scalars(select(Delivery))) == []
    assert (third.status, third.position) == ("waitlisted", 1)


@pytest.mark.parametrize(
    ("first", "second", "refusal"),
    [
        ("orti-sat", "orti-sat-late", shifts.Refusal.OVERLAP),
        ("orti-sat", "orti-sat", shifts.Refusal.ALREADY_HELD),
    ],
)
async def test_overlapping_or_repeated_places_are_refused(
    session_factory: async_sessionmaker[AsyncSession],
    shift_ids: dict[str, int],
    enrol: Register,
    first: str,
    second: str,
    refusal: shifts.Refusal,
) -> None:
    await enrol(221)
    async with session_factory() as session:
        await shifts.sign_up(session, 221, shift_ids[first], TEST_NOW)
    async with session_factory() as session:
        with pytest.raises(shifts.ShiftError) as refused:
            await shifts.sign_up(session, 221, shift_ids[second], TEST_NOW)
    assert refused.value.refusal is refusal
    async with session_factory() as session:
        assert len(await shifts.my_places(session, 221, TEST_NOW)) == 1


async def test_only_registered_volunteers_sign_up_and_not_for_past_shifts(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    async with session_factory() as session:
        with pytest.raises(shifts.ShiftError) as refused:
            await shifts.sign_up(session, 231, shift_ids["orti-sat"], TEST_NOW)
    assert refused.value.refusal is shifts.Refusal.NOT_REGISTERED
    await enrol(231)
    later = TEST_NOW.replace(day=6)
    async with session_factory() as session:
        with pytest.raises(shifts.ShiftError) as refused:
            await shifts.sign_up(session, 231, shift_ids["orti-sat"], later)
    assert refused.value.refusal is shifts.Refusal.SHIFT_STARTED


async def test_the_waitlist_follows_the_order_of_sign_up_even_with_a_stale_clock_reading(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    sunday = shift_ids["orti-sun"]  # one place
    readings = {241: TEST_NOW, 242: TEST_NOW, 243: TEST_NOW - timedelta(seconds=5)}
    for person, now in readings.items():  # 243 read the clock before waiting for the lock
        await enrol(person)
        async with session_factory() as session:
            place = await shifts.sign_up(session, person, sunday, now)
    assert (place.status, place.position) == ("waitlisted", 2)
    async with session_factory() as session:
        await shifts.cancel_place(session, 241, sunday, TEST_NOW, zone=ZONE)
    async with session_factory() as session:
        [promoted] = await shifts.my_places(session, 242, TEST_NOW)
        [still_waiting] = await shifts.my_places(session, 243, TEST_NOW)
    assert promoted.status == "confirmed"
    assert (still_waiting.status, still_waiting.position) == ("waitlisted", 1)


async def test_a_catalog_raising_the_capacity_promotes_the_waitlist_before_newcomers(
    session_factory: async_sessionmaker[AsyncSession], shift_ids: dict[str, int], enrol: Register
) -> None:
    sunday = shift_ids["orti-sun"]  # one place
    for person in (251, 252, 253, 254, 255):
        await enrol(person)
    for person in (251, 252, 253, 254):
        async with session_factory() as session:
            await shifts.sign_up(session, person, sunday, TEST_NOW)
    catalog = (DATA / "projects.yaml").read_text(encoding="utf-8")
    raised = catalog.replace(
        "end: 2026-12-06T12:00, capacity: 1}", "end: 2026-12-06T12:00, capacity: 3}"
    )
    assert raised != catalog
    later = TEST_NOW + timedelta(minutes=5)
    await import_catalog_text(session_factory, raised, "projects.yaml", timezone=ROME, now=later)
    async with session_factory() as session:
        newcomer = await shifts.sign_up(session, 255, sunday, later)
        places = {p: (await shifts.my_places(session, p, later))[0] for p in (252, 253, 254)}
        promoted = select(Delivery.recipient_id).where(Delivery.message_key == "shift.promoted")
        told = sorted(await session.scalars(promoted))
    assert [(places[p].status, places[p].position) for p in (252, 253, 254)] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
    ]
    assert (newcomer.status, newcomer.position) == ("waitlisted", 2)
    assert told == [252, 253]  # "a place is yours", as when someone cancels
