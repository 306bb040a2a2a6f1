"""The programme office edits greenway events (the staff Mini App's service): the import's
own rules and messages, the import's notices, compare-and-set saves, an audit entry each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import use_locale
from bot.services.catalog.parsing import read_catalog
from bot.services.events import editing
from bot.services.events.form import EventForm, EventFormRefused
from bot.services.people.roles import Actor, Role
from tests.events.catalog import CATALOG, import_events
from tests.support.event_editing import (
    BYSTANDER,
    FOLLOWER,
    GOING,
    POLICY,
    audit_rows,
    follow_and_go,
    form,
    queued,
    stored,
)
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW

ADMIN = Actor(ADMIN_ID, frozenset({Role.ADMIN}))
TUTOR = Actor(555, frozenset({Role.TUTOR}), frozenset({1}))


async def _add(sessions: async_sessionmaker[AsyncSession], greenway_id: int, **changes: str) -> int:
    async with sessions() as session:
        return await editing.add_event(
            session, ADMIN, greenway_id, EventForm.of(form(**changes)), TEST_NOW, POLICY
        )


async def _greenway_of(sessions: async_sessionmaker[AsyncSession], event_id: int) -> int:
    return (await stored(sessions, event_id)).greenway_id


def _import_messages(event_yaml: str) -> list[str]:
    text = "greenways:\n  - {code: crostolo, name: C, description: D}\nevents:\n" + event_yaml
    return [p.message for p in read_catalog(text, "f.yaml", timezone=ROME)[1]]


@pytest.mark.parametrize(
    ("changes", "field", "event_yaml"),
    [
        (
            {"end": "2026-12-19T09:00"},
            "end",
            "  - {code: a, greenway: crostolo, title: T, description: D,"
            " start: 2026-12-19T10:00, end: 2026-12-19T09:00}\n",
        ),
        (
            {"title_en": "x" * 151},
            "title_en",
            "  - code: a\n    greenway: crostolo\n    title: {en: " + "x" * 151 + "}\n"
            "    description: D\n    start: 2026-12-19T10:00\n    end: 2026-12-19T12:00\n",
        ),
        (
            {"lat": "95"},
            "lat",
            "  - {code: a, greenway: crostolo, title: T, description: D,"
            " start: 2026-12-19T10:00, end: 2026-12-19T12:00, lat: 95, lon: 10}\n",
        ),
        (
            {"lon": ""},
            "lat",
            "  - {code: a, greenway: crostolo, title: T, description: D,"
            " start: 2026-12-19T10:00, end: 2026-12-19T12:00, lat: 44}\n",
        ),
    ],
)
async def test_a_form_is_refused_per_field_with_the_imports_own_message(
    session_factory: async_sessionmaker[AsyncSession],
    catalog: dict[str, int],
    changes: dict[str, str],
    field: str,
    event_yaml: str,
) -> None:
    greenway = await _greenway_of(session_factory, catalog["camminata-crostolo"])
    with pytest.raises(EventFormRefused) as refused:
        await _add(session_factory, greenway, **changes)
    assert refused.value.fields == {field: _import_messages(event_yaml)[0]}
    assert await audit_rows(session_factory) == []


async def test_a_start_in_the_past_is_refused(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    greenway = await _greenway_of(session_factory, catalog["camminata-crostolo"])
    with use_locale("en", "it"), pytest.raises(EventFormRefused) as refused:
        await _add(session_factory, greenway, start="2026-12-01T10:00", end="2026-12-01T12:00")
    assert refused.value.fields == {"start": "The start must be in the future."}


async def test_a_new_event_gets_its_own_code_and_tells_the_greenways_followers(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    await follow_and_go(session_factory, catalog["camminata-crostolo"])
    greenway = await _greenway_of(session_factory, catalog["camminata-crostolo"])
    first = await _add(session_factory, greenway)
    second = await _add(session_factory, greenway)
    one, two = await stored(session_factory, first), await stored(session_factory, second)
    assert one.code.startswith("crostolo-20261219-") and one.code != two.code
    assert one.title == {"it": "Camminata d'inverno", "en": "Winter walk"}
    assert one.start_at == TEST_NOW.replace(day=19, hour=10, minute=0).astimezone(ROME)
    assert (one.lat, one.lon, one.version) == (44.6838, 10.63, 1)
    assert await queued(session_factory, "event.new") == [FOLLOWER, FOLLOWER]
    assert await audit_rows(session_factory) == [
        (ADMIN_ID, "event.created", f"event:{first}"),
        (ADMIN_ID, "event.created", f"event:{second}"),
    ]
    # A later import of the catalog leaves the office's events alone.
    await import_events(session_factory)
    assert (await stored(session_factory, first)).version == 1


async def test_a_move_tells_those_going_and_raises_the_version(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    await follow_and_go(session_factory, event_id)
    async with session_factory() as session:
        opened = await editing.read_event(session, ADMIN, event_id, ROME)
    assert opened.values["start"] == "2026-12-06T10:00" and opened.version == 1
    moved = {**opened.values, "start": "2026-12-06T15:00", "end": "2026-12-06T17:00"}
    async with session_factory() as session:
        version = await editing.edit_event(
            session, ADMIN, event_id, 1, EventForm.of(moved), TEST_NOW, POLICY
        )
    event = await stored(session_factory, event_id)
    assert version == event.version == 2
    assert event.start_at == TEST_NOW.replace(day=6, hour=15, minute=0)
    assert await queued(session_factory, "event.changed") == [GOING]
    assert BYSTANDER not in await queued(session_factory, "event.changed")
    assert await audit_rows(session_factory) == [(ADMIN_ID, "event.updated", f"event:{event_id}")]


async def test_a_text_change_tells_nobody(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    await follow_and_go(session_factory, event_id)
    async with session_factory() as session:
        opened = await editing.read_event(session, ADMIN, event_id, ROME)
        await editing.edit_event(
            session, ADMIN, event_id, 1,
            EventForm.of({**opened.values, "title_en": "Walk by the Crostolo"}),
            TEST_NOW, POLICY,
        )  # fmt: skip
    assert (await stored(session_factory, event_id)).title["en"] == "Walk by the Crostolo"
    assert await queued(session_factory, "event.changed") == []


async def test_a_stale_save_changes_nothing_and_tells_nobody(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    await follow_and_go(session_factory, event_id)
    async with session_factory() as session:
        opened = await editing.read_event(session, ADMIN, event_id, ROME)
    # An import moves the event meanwhile: the version the form was opened on is stale.
    later = (await stored(session_factory, event_id)).start_at + timedelta(hours=1)
    moved_by_import = f"start: {later.astimezone(ROME):%Y-%m-%dT%H:%M}"
    await import_events(
        session_factory, CATALOG.replace("start: 2026-12-06T10:00", moved_by_import)
    )
    changed_by_import = await queued(session_factory, "event.changed")
    assert (await stored(session_factory, event_id)).version == 2
    moved = {**opened.values, "start": "2026-12-06T09:00"}
    async with session_factory() as session:
        with pytest.raises(editing.EventChangedMeanwhile):
            await editing.edit_event(
                session, ADMIN, event_id, 1, EventForm.of(moved), TEST_NOW, POLICY
            )
        with pytest.raises(editing.EventChangedMeanwhile):
            await editing.cancel_event(session, ADMIN, event_id, 1, TEST_NOW, POLICY)
    event = await stored(session_factory, event_id)
    assert (event.start_at.astimezone(ROME).hour, event.cancelled) == (11, False)
    assert await queued(session_factory, "event.changed") == changed_by_import
    assert await queued(session_factory, "event.cancelled") == []
    assert await audit_rows(session_factory) == []


async def test_a_cancellation_tells_those_going(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    await follow_and_go(session_factory, event_id)
    async with session_factory() as session:
        await editing.cancel_event(session, ADMIN, event_id, 1, TEST_NOW, POLICY)
    event = await stored(session_factory, event_id)
    assert (event.cancelled, event.version) == (True, 2)
    assert await queued(session_factory, "event.cancelled") == [GOING]
    assert await audit_rows(session_factory) == [(ADMIN_ID, "event.cancelled", f"event:{event_id}")]


async def test_only_admins_may_edit_events(
    session_factory: async_sessionmaker[AsyncSession], catalog: dict[str, int]
) -> None:
    event_id = catalog["camminata-crostolo"]
    async with session_factory() as session:
        for actor in (TUTOR, Actor(BYSTANDER)):
            with pytest.raises(PermissionError):
                await editing.greenways_with_events(session, actor, TEST_NOW)
            with pytest.raises(PermissionError):
                await editing.cancel_event(session, actor, event_id, 1, TEST_NOW, POLICY)
    assert (await stored(session_factory, event_id)).cancelled is False
