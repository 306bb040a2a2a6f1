"""Editing a hub from the Mini App: the import's rules and messages, one save per version,
every change audited, closures with the import's rules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import CatalogError, import_catalog_text
from bot.services.catalog.parsing import parse_catalog
from bot.services.hubs import editing
from bot.services.hubs.form import ClosureFields, HubFields
from bot.services.people.roles import Actor, Role
from storage.models import AuditEntry, Hub, HubClosure
from tests.support.fixtures import DATA, ROME, TEST_NOW

Factory = async_sessionmaker[AsyncSession]
Loader = Callable[[str], Awaitable[Any]]
ADMIN = Actor(9001, frozenset({Role.ADMIN}))
TUTOR = Actor(7001, frozenset({Role.TUTOR}), frozenset({1}))
GOOD = HubFields(
    "Via Nuova 5, Reggio Emilia", "+39 0522 111111", "", "Mo-Fr 10:00-18:00", ("wifi",)
)


async def _hub_id(factory: Factory, code: str = "casa-orologio") -> int:
    async with factory() as session:
        hub_id = await session.scalar(select(Hub.id).where(Hub.code == code))
    assert hub_id is not None
    return hub_id


async def _save(factory: Factory, fields: HubFields, version: int = 1, actor: Actor = ADMIN) -> int:
    hub_id = await _hub_id(factory)
    async with factory() as session:
        return await editing.save_hub(
            session, actor, hub_id, version, fields, zone=ROME, now=TEST_NOW
        )


async def _close(factory: Factory, first: str, last: str, version: int, note: str = "") -> int:
    hub_id = await _hub_id(factory)
    async with factory() as session:
        closure = ClosureFields(first, last, note, "")
        return await editing.add_closure(
            session, ADMIN, hub_id, version, closure, zone=ROME, now=TEST_NOW
        )


async def _audit(factory: Factory) -> list[tuple[int | None, str, str]]:
    async with factory() as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action.like("hub.%")))
        return [(row.actor, row.action, row.target) for row in rows]


def _import_message(field: str, value: str) -> str:
    """What the catalog import says about the first hub of tests/data/hubs.yaml with this value."""
    text = (DATA / "hubs.yaml").read_text(encoding="utf-8")
    old = {
        "phone": 'phone: "+39 0522 000001"',
        "email": "email: orologio@example.org",
        "opening_hours": 'opening_hours: "Mo-Fr 09:00-12:30,15:00-19:00; Sa 09:00-12:00; PH off"',
        "address": "address: Via Example 1, Reggio Emilia",
    }[field]
    text = text.replace(old, f"{field}: {value!r}".replace("'", '"'), 1)
    with pytest.raises(CatalogError) as refused:
        parse_catalog(text, "hubs.yaml", timezone=ROME)
    (error,) = refused.value.errors
    return error.split(": ", 1)[1]  # without its FILE:LINE


async def test_a_saved_hub_shows_its_new_fields_and_version_and_is_audited(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")

    hub_id = await _hub_id(session_factory)
    async with session_factory() as session:
        before = await editing.read_hub(session, ADMIN, hub_id)
        saved = await editing.save_hub(session, ADMIN, hub_id, 1, GOOD, zone=ROME, now=TEST_NOW)
        hub = await editing.read_hub(session, ADMIN, hub_id)  # as the endpoint answers
    assert (before.services, saved) == (("portierato", "spid"), 2)
    assert (hub.address, hub.phone, hub.email) == (GOOD.address, GOOD.phone, GOOD.email)
    assert (hub.opening_hours, hub.services, hub.version) == ("Mo-Fr 10:00-18:00", ("wifi",), 2)
    assert await _audit(session_factory) == [(9001, "hub.updated", f"hub:{hub.id}")]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "call us"),
        ("email", "orologio at example.org"),
        ("opening_hours", "Mo-Fr 9-18 sometimes"),
        ("address", "x" * 201),
    ],
)
async def test_a_refused_field_gets_the_imports_own_message_and_nothing_is_saved(
    session_factory: Factory, load_catalog: Loader, field: str, value: str
) -> None:
    await load_catalog("hubs.yaml")
    fields = replace(GOOD, **{field: value})

    with pytest.raises(editing.EditRefused) as refused:
        await _save(session_factory, fields)

    assert refused.value.fields == {field: _import_message(field, value)}
    async with session_factory() as session:
        hub = await session.get(Hub, await _hub_id(session_factory))
        assert hub is not None and hub.version == 1 and hub.address.startswith("Via Example 1")
    assert await _audit(session_factory) == []


async def test_an_unknown_service_is_refused_as_the_import_refuses_it(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")
    with pytest.raises(editing.EditRefused) as refused:
        await _save(session_factory, replace(GOOD, services=("wifi", "bowling")))
    assert refused.value.fields == {"services": "unknown service 'bowling'"}


async def test_a_save_on_an_older_version_is_refused_and_of_two_at_once_one_wins(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")
    other = HubFields("Via Altra 9", "", "", "24/7", ())

    results = await asyncio.gather(
        _save(session_factory, GOOD), _save(session_factory, other), return_exceptions=True
    )

    assert sorted(type(result).__name__ for result in results) == ["StaleVersion", "int"]
    with pytest.raises(editing.StaleVersion):
        await _save(session_factory, GOOD, version=1)
    assert len(await _audit(session_factory)) == 1


async def test_an_import_that_changes_a_hub_makes_an_open_form_stale(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")
    text = (DATA / "hubs.yaml").read_text(encoding="utf-8")
    await import_catalog_text(
        session_factory,
        text.replace("Via Example 1", "Via Example 10"),
        "hubs.yaml",
        timezone=ROME,
        now=TEST_NOW,
    )
    with pytest.raises(editing.StaleVersion):
        await _save(session_factory, GOOD, version=1)
    assert await _save(session_factory, GOOD, version=2) == 3


async def test_closures_follow_the_imports_rules_and_are_audited(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")
    hub_id = await _hub_id(session_factory)

    assert await _close(session_factory, "2026-12-07", "2026-12-13", 1, "Lavori") == 2
    with pytest.raises(editing.EditRefused) as backwards:
        await _close(session_factory, "2026-12-20", "2026-12-19", 2)
    with pytest.raises(editing.EditRefused) as overlapping:
        await _close(session_factory, "2026-12-01", "2026-12-07", 2)
    with pytest.raises(editing.EditRefused) as long_note:
        await _close(session_factory, "2027-01-01", "2027-01-01", 2, "x" * 151)
    with pytest.raises(editing.EditRefused) as no_day:
        await _close(session_factory, "", "2027-01-01", 2)

    assert backwards.value.fields == {"to": "closure: to must not be before from"}
    assert overlapping.value.fields == {
        "from": "this closure overlaps the one from 2026-12-01 to 2026-12-07"
    }
    assert long_note.value.fields == {
        "note_it": "note (it) is too long (151 characters, at most 150)"
    }
    assert no_day.value.fields == {"from": "closure: missing from"}
    async with session_factory() as session:
        (closure,) = await session.scalars(select(HubClosure))
        assert (closure.first_day, closure.last_day) == (date(2026, 12, 7), date(2026, 12, 13))
        assert closure.note == {"it": "Lavori"}
        removed = await editing.remove_closure(session, ADMIN, hub_id, 2, closure.id, now=TEST_NOW)
    assert removed == 3
    assert await _audit(session_factory) == [
        (9001, "hub.closure_added", f"hub:{hub_id}"),
        (9001, "hub.closure_removed", f"hub:{hub_id}"),
    ]


async def test_a_tutor_is_refused_by_the_service_itself(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("hubs.yaml")
    with pytest.raises(PermissionError):
        await _save(session_factory, GOOD, actor=TUTOR)
    async with session_factory() as session:
        with pytest.raises(PermissionError):
            await editing.list_hubs(session, TUTOR)
