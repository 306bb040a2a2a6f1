"""The staff Mini App's Events endpoints over HTTP: admins only, 422 per field, 409 stale."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import import_catalog_text
from storage.models import Event
from tests.support.event_editing import audit_rows, form, stored
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW
from tests.webapp.signed import init_data, mini_app_client, signed_in

API = "/app/api/events/"
TUTOR_ID, CITIZEN_ID = 555, 556
CATALOG = """
greenways:
  - code: crostolo
    name: {it: Greenway del Crostolo, en: Crostolo greenway}
    description: {it: Lungo il Crostolo., en: Along the Crostolo.}
events:
  - code: storie-crostolo
    greenway: crostolo
    title: {it: Storie del Crostolo, en: Stories of the Crostolo}
    description: Racconti.
    start: 2026-12-05T15:00
    end: 2026-12-05T17:00
  - code: camminata-crostolo
    greenway: crostolo
    title: {it: Camminata lungo il Crostolo, en: Walk along the Crostolo}
    description: {it: Passeggiata di circa 6 km., en: A walk of about 6 km.}
    start: 2026-12-06T10:00
    end: 2026-12-06T12:00
    place: {it: Ponte di San Pellegrino, en: San Pellegrino bridge}
    lat: 44.6838
    lon: 10.6300
  - code: passata-crostolo
    greenway: crostolo
    title: {it: Alba, en: Dawn}
    description: Già passata.
    start: 2026-12-01T07:00
    end: 2026-12-01T09:00
  - code: annullata-crostolo
    greenway: crostolo
    title: {it: Concerto annullato, en: Cancelled concert}
    description: Non si fa.
    start: 2026-12-04T18:00
    end: 2026-12-04T20:00
    cancelled: true
projects:
  - code: orti
    title: Orti
    description: Orti condivisi.
    theme: sostenibilita
    tutors: [555]
"""


@pytest.fixture
async def catalog(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """A greenway with its events and a project tutored by TUTOR_ID; event ids by code."""
    await import_catalog_text(session_factory, CATALOG, "c.yaml", timezone=ROME, now=TEST_NOW)
    async with session_factory() as session:
        return {
            str(code): int(i) for code, i in await session.execute(select(Event.code, Event.id))
        }


async def test_admins_list_greenways_with_their_upcoming_events(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory) as client:
        response = await client.get(API + "greenways", headers=headers)
        assert response.status == 200
        body = await response.json()
    crostolo = next(g for g in body["greenways"] if g["name"] == "Crostolo greenway")
    # Neither the past dawn nor the cancelled concert is listed.
    assert [e["title"] for e in crostolo["events"]] == [
        "Stories of the Crostolo",
        "Walk along the Crostolo",
    ]
    assert crostolo["events"][1]["when"] == "Sunday 6 December, 10:00–12:00"
    assert body["texts"]["add"] == "Add an event"


async def test_tutors_and_citizens_are_refused_every_events_endpoint(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    async with mini_app_client(session_factory) as client:
        for person in (TUTOR_ID, CITIZEN_ID):
            headers = signed_in(init_data(person, language="en"))
            for path in ("greenways", f"event?id={event_id}"):
                assert (await client.get(API + path, headers=headers)).status == 403
            for path in ("add", "edit", "cancel"):
                body = {**form(), "id": event_id, "version": 1, "greenway_id": 1}
                response = await client.post(API + path, json=body, headers=headers)
                assert response.status == 403
    assert (await stored(session_factory, event_id)).cancelled is False
    assert await audit_rows(session_factory) == []


async def test_an_admin_opens_an_event_and_saves_it_then_a_stale_save_gets_409(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    headers = signed_in(init_data(ADMIN_ID, language="it"))
    async with mini_app_client(session_factory) as client:
        opened = await (await client.get(API + f"event?id={event_id}", headers=headers)).json()
        assert opened["start"] == "2026-12-06T10:00" and opened["version"] == 1
        assert (opened["place_it"], opened["lat"]) == ("Ponte di San Pellegrino", "44.6838")
        saved = await client.post(
            API + "edit", json={**opened, "start": "2026-12-06T11:00"}, headers=headers
        )
        assert saved.status == 200 and (await saved.json())["version"] == 2
        stale = await client.post(
            API + "edit", json={**opened, "start": "2026-12-06T09:00"}, headers=headers
        )
        assert stale.status == 409
        answer = await stale.json()
    assert answer["message"] == "Nel frattempo qualcuno l'ha modificato: ricaricalo e riprova."
    event = await stored(session_factory, event_id)
    assert (event.start_at.astimezone(ROME).hour, event.version) == (11, 2)
    assert await audit_rows(session_factory) == [(ADMIN_ID, "event.updated", f"event:{event_id}")]


async def test_a_refused_form_gets_422_with_a_message_per_field(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="it"))
    body = {**form(end="2026-12-19T09:00", title_it="", title_en=""), "greenway_id": 1}
    async with mini_app_client(session_factory) as client:
        response = await client.post(API + "add", json=body, headers=headers)
        assert response.status == 422
        answer = await response.json()
    assert answer["fields"] == {
        "end": "end must be after start",
        "title_it": "title (it) must not be empty",
    }
    assert await audit_rows(session_factory) == []


async def test_an_admin_adds_and_cancels_an_event(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    headers = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory) as client:
        added = await client.post(API + "add", json={**form(), "greenway_id": 1}, headers=headers)
        assert added.status == 200
        new = await added.json()
        assert new["message"] == "Event added: the greenway's followers will be told."
        cancel = {"id": new["id"], "version": 1}
        cancelled = await client.post(API + "cancel", json=cancel, headers=headers)
        assert cancelled.status == 200
        again = await client.post(API + "cancel", json=cancel, headers=headers)
        assert again.status == 422  # already cancelled: nothing more to do
    assert (await stored(session_factory, new["id"])).cancelled is True
    assert [row[1] for row in await audit_rows(session_factory)] == [
        "event.created",
        "event.cancelled",
    ]
