"""Importing a catalog into the database: upsert by code, all or nothing, never deleting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import (
    CatalogError,
    ImportSummary,
    catalog_is_empty,
    import_catalog,
    import_catalog_text,
)
from storage.models import (
    Base,
    Event,
    Greenway,
    Hub,
    Project,
    ProjectTutor,
    Quartiere,
    Service,
    Shift,
    Staff,
)
from tests.catalog.texts import BASE, FILENAME, ROME, line_with, parse, replace_once

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MODELS = (Quartiere, Service, Hub, Project, ProjectTutor, Shift, Greenway, Event, Staff)

Factory = async_sessionmaker[AsyncSession]
Coded = TypeVar("Coded", Hub, Event, Shift)
Row = TypeVar("Row", bound=Base)


async def load(factory: Factory, text: str, filename: str = FILENAME) -> ImportSummary:
    return await import_catalog_text(factory, text, filename, timezone=ROME, now=NOW)


async def row_counts(factory: Factory) -> dict[str, int]:
    async with factory() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in MODELS
        }


async def one(factory: Factory, model: type[Coded], code: str) -> Coded:
    async with factory() as session:
        return (await session.scalars(select(model).where(model.code == code))).one()


async def all_rows(factory: Factory, model: type[Row]) -> list[Row]:
    async with factory() as session:
        return list(await session.scalars(select(model)))


async def test_an_import_writes_every_section(session_factory: Factory) -> None:
    summary = await load(session_factory, BASE)

    assert await row_counts(session_factory) == {
        "quartieri": 1,
        "services": 2,
        "hubs": 2,
        "projects": 1,
        "project_tutors": 1,
        "shifts": 2,
        "greenways": 1,
        "events": 1,
        "staff": 1,
    }
    assert summary.created == 10 and summary.updated == 0
    assert summary.shifts.created == 2 and summary.hubs.created == 2


async def test_imported_rows_hold_the_file_values(session_factory: Factory) -> None:
    await load(session_factory, BASE)

    async with session_factory() as session:
        hub = (await session.scalars(select(Hub).where(Hub.code == "wifi-point"))).one()
        assert sorted(service.code for service in hub.services) == ["portierato", "wifi"]
        assert hub.opening_hours == "24/7" and hub.phone is None
        project = (await session.scalars(select(Project))).one()
        casa = (await session.scalars(select(Hub).where(Hub.code == "casa-ospizio"))).one()
        assert project.hub_id == casa.id
        assert project.title == {"it": "Orti condivisi Ospizio", "en": "Ospizio shared gardens"}
        shifts = list(await session.scalars(select(Shift).order_by(Shift.start_at)))
        assert [s.code for s in shifts] == ["orti-2026-12-01", None]
        assert shifts[0].start_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert shifts[0].place == {"it": "Ingresso via Example", "en": "Entrance on via Example"}
        event = (await session.scalars(select(Event))).one()
        assert event.place == {"*": "Parco del Crostolo"}
        assert event.start_at == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


async def test_importing_the_same_file_twice_changes_nothing(session_factory: Factory) -> None:
    await load(session_factory, BASE)
    before = await row_counts(session_factory)

    summary = await load(session_factory, BASE)

    assert await row_counts(session_factory) == before
    assert summary.created == 0 and summary.updated == 0
    assert summary.hubs.unchanged == 2 and summary.shifts.unchanged == 2
    assert summary.new_events == () and summary.changed_shifts == () and summary.new_staff == ()


async def test_a_later_file_updates_by_code_and_leaves_missing_items_alone(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    later = (
        "hubs:\n"
        "  - code: casa-ospizio\n"
        "    name: Casa di quartiere Ospizio (nuova sede)\n"
        "    address: Via Nuova 2, 42122 Reggio Emilia\n"
        "    quartiere: Ospizio\n"
        "    lat: 44.7012\n"
        "    lon: 10.6501\n"
        "    opening_hours: Mo-Fr 09:00-12:00\n"
        "    services: [portierato, wifi]\n"
    )

    summary = await load(session_factory, later, "later.yaml")

    assert summary.hubs.updated == 1 and summary.created == 0
    moved = await one(session_factory, Hub, "casa-ospizio")
    assert moved.address == "Via Nuova 2, 42122 Reggio Emilia"
    assert sorted(service.code for service in moved.services) == ["portierato", "wifi"]
    kept = await one(session_factory, Hub, "wifi-point")
    assert kept.opening_hours == "24/7"
    counts = await row_counts(session_factory)
    assert counts["shifts"] == 2 and counts["events"] == 1 and counts["projects"] == 1


async def test_cancelling_a_shift_and_an_event_marks_them_and_lists_them(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    before = await row_counts(session_factory)
    text = BASE.replace("cancelled: false", "cancelled: true")

    summary = await load(session_factory, text)

    async with session_factory() as session:
        shift = (await session.scalars(select(Shift).where(Shift.code.is_not(None)))).one()
        event = (await session.scalars(select(Event))).one()
    assert shift.cancelled and event.cancelled
    assert summary.cancelled_shifts == (shift.id,)
    assert summary.cancelled_events == (event.id,)
    assert summary.shifts.updated == 1 and summary.events.updated == 1
    assert await row_counts(session_factory) == before  # marked, never deleted


async def test_moved_times_and_places_are_listed_for_the_notices(session_factory: Factory) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "start: 2026-12-06T10:00", "start: 2026-12-06T10:30")
    text = replace_once(text, "en: Entrance on via Example", "en: Side entrance")

    summary = await load(session_factory, text)

    event = await one(session_factory, Event, "camminata-crostolo-dicembre")
    shift = await one(session_factory, Shift, "orti-2026-12-01")
    assert summary.rescheduled_events == (event.id,)
    assert summary.changed_shifts == (shift.id,)
    assert summary.new_events == () and summary.cancelled_events == ()


async def test_a_new_event_is_listed_for_its_greenway_subscribers(
    session_factory: Factory,
) -> None:
    first = await load(session_factory, BASE)
    text = BASE.replace("camminata-crostolo-dicembre", "camminata-crostolo-gennaio")

    second = await load(session_factory, text)

    events = {event.code: event.id for event in await all_rows(session_factory, Event)}
    assert first.new_events == (events["camminata-crostolo-dicembre"],)
    assert second.new_events == (events["camminata-crostolo-gennaio"],)


async def test_a_shift_without_code_is_found_again_by_project_and_start(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "capacity: 2", "capacity: 5")

    summary = await load(session_factory, text)

    assert summary.shifts.updated == 1 and summary.shifts.created == 0
    capacities = sorted(shift.capacity for shift in await all_rows(session_factory, Shift))
    assert capacities == [4, 5]


async def test_a_bad_file_is_rejected_whole_and_writes_nothing(session_factory: Factory) -> None:
    text = replace_once(BASE, "capacity: 4", "capacity: 0")

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    assert caught.value.errors == [
        f"{FILENAME}:{line_with(text, 'capacity: 0')}: capacity must be at least 1, got 0"
    ]
    assert set((await row_counts(session_factory)).values()) == {0}


async def test_an_unknown_reference_writes_nothing_and_names_the_line(
    session_factory: Factory,
) -> None:
    text = replace_once(BASE, "hub: casa-ospizio", "hub: casa-atlantide")
    text = replace_once(text, "services: [portierato]", "services: [portierato, teletrasporto]")
    text = replace_once(text, "greenway: crostolo", "greenway: po")

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    assert caught.value.errors == [
        f"{FILENAME}:{line_with(text, 'teletrasporto')}: unknown service 'teletrasporto'",
        f"{FILENAME}:{line_with(text, 'casa-atlantide')}: unknown hub 'casa-atlantide'",
        f"{FILENAME}:{line_with(text, 'greenway: po')}: unknown greenway 'po'",
    ]
    assert set((await row_counts(session_factory)).values()) == {0}


async def test_file_and_database_problems_are_reported_together(
    session_factory: Factory,
) -> None:
    text = replace_once(BASE, "hub: casa-ospizio", "hub: casa-atlantide")
    text = replace_once(text, "lat: 44.7012", "lat: 95")

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    assert [error.split(":")[1] for error in caught.value.errors] == [
        str(line_with(text, "lat: 95")),
        str(line_with(text, "casa-atlantide")),
    ]


async def test_references_to_items_already_imported_are_accepted(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    later = (
        "hubs:\n"
        "  - code: casa-nuova\n"
        "    name: Casa nuova\n"
        "    address: Via Example 3\n"
        "    quartiere: Ospizio\n"
        "    lat: 44.7\n"
        "    lon: 10.6\n"
        "    opening_hours: Mo-Fr 09:00-12:00\n"
        "    services: [wifi]\n"
        "projects:\n"
        "  - code: orti-ospizio\n"
        "    title: {it: Orti condivisi Ospizio, en: Ospizio shared gardens}\n"
        "    description: {it: Cura degli orti, en: Caring for the gardens}\n"
        "    theme: sostenibilita\n"
        "    hub: casa-ospizio\n"
        "    shifts:\n"
        "      - code: orti-2026-12-15\n"
        "        start: 2026-12-15T09:00\n"
        "        end: 2026-12-15T12:00\n"
        "        capacity: 4\n"
        "events:\n"
        "  - code: camminata-crostolo-natale\n"
        "    greenway: crostolo\n"
        "    title: Camminata di Natale\n"
        "    description: Passeggiata\n"
        "    start: 2026-12-20T10:00\n"
        "    end: 2026-12-20T12:00\n"
    )

    summary = await load(session_factory, later, "later.yaml")

    assert (summary.hubs.created, summary.shifts.created, summary.events.created) == (1, 1, 1)
    assert summary.projects.unchanged == 1
    counts = await row_counts(session_factory)
    assert counts["shifts"] == 3 and counts["events"] == 2 and counts["hubs"] == 3


async def test_a_shift_code_of_another_project_is_refused(session_factory: Factory) -> None:
    await load(session_factory, BASE)
    later = (
        "projects:\n"
        "  - code: altro\n"
        "    title: Altro\n"
        "    description: Altro progetto\n"
        "    theme: digitale\n"
        "    shifts:\n"
        "      - code: orti-2026-12-01\n"
        "        start: 2026-12-02T09:00\n"
        "        end: 2026-12-02T10:00\n"
        "        capacity: 1\n"
    )

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, later, "later.yaml")

    line = line_with(later, "code: orti-2026-12-01")
    assert caught.value.errors == [
        f"later.yaml:{line}: shift code 'orti-2026-12-01' already belongs to project 'orti-ospizio'"
    ]
    assert (await row_counts(session_factory))["projects"] == 1


async def test_a_new_shift_at_the_start_of_a_stored_one_is_refused(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "code: orti-2026-12-01", "code: orti-primo-dicembre")

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    assert caught.value.errors == [
        f"{FILENAME}:{line_with(text, 'start: 2026-12-01T09:00')}: project 'orti-ospizio' "
        "already has another shift (code 'orti-2026-12-01') starting at this time"
    ]


async def test_tutors_become_staff_and_an_admin_listed_as_tutor_holds_both_roles(
    session_factory: Factory,
) -> None:
    async with session_factory() as session:
        session.add(Staff(telegram_id=222, role="admin", created_at=NOW))
        await session.commit()
    text = replace_once(BASE, "tutors: [111111111]", "tutors: [111111111, 222]")

    summary = await load(session_factory, text)

    async with session_factory() as session:
        roles: dict[int, set[str]] = {}
        for member in await session.scalars(select(Staff)):
            roles.setdefault(member.telegram_id, set()).add(member.role)
        links = {t.telegram_id for t in await session.scalars(select(ProjectTutor))}
    assert roles == {111111111: {"tutor"}, 222: {"admin", "tutor"}}
    assert links == {111111111, 222}
    assert summary.new_staff == (111111111,)


async def test_a_tutor_added_later_updates_the_project(session_factory: Factory) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "tutors: [111111111]", "tutors: [111111111, 333]")

    summary = await load(session_factory, text)

    assert summary.projects.updated == 1 and summary.new_staff == (333,)


async def test_import_catalog_takes_a_parsed_catalog_and_commits(
    session_factory: Factory,
) -> None:
    async with session_factory() as session:
        summary = await import_catalog(session, parse(BASE), now=NOW)

    assert summary.events.created == 1
    assert (await row_counts(session_factory))["events"] == 1


async def test_the_summary_has_one_line_per_section(session_factory: Factory) -> None:
    summary = await load(session_factory, BASE)

    assert "hubs: 2 created, 0 updated, 0 unchanged" in summary.lines()
    assert len(summary.lines()) == 8  # with closures


async def test_two_shifts_can_trade_their_times(session_factory: Factory) -> None:
    text = replace_once(
        BASE,
        "      - start: 2026-12-08T09:00\n",
        "      - code: orti-2026-12-08\n        start: 2026-12-08T09:00\n",
    )
    await load(session_factory, text)
    traded = (
        text.replace("2026-12-01T", "<first>")
        .replace("2026-12-08T", "2026-12-01T")
        .replace("<first>", "2026-12-08T")
    )

    summary = await load(session_factory, traded)

    first = await one(session_factory, Shift, "orti-2026-12-01")
    second = await one(session_factory, Shift, "orti-2026-12-08")
    assert first.start_at == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert second.start_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert sorted(summary.changed_shifts) == sorted([first.id, second.id])


async def test_a_new_shift_may_take_the_time_a_stored_one_leaves(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "start: 2026-12-01T09:00", "start: 2026-12-01T08:00")
    text = replace_once(
        text,
        "      - start: 2026-12-08T09:00\n",
        "      - start: 2026-12-01T09:00\n"
        "        end: 2026-12-01T12:00\n"
        "        capacity: 1\n"
        "      - start: 2026-12-08T09:00\n",
    )

    summary = await load(session_factory, text)

    assert (summary.shifts.created, summary.shifts.updated, summary.shifts.unchanged) == (1, 1, 1)
    assert len(await all_rows(session_factory, Shift)) == 3


async def test_the_catalog_is_empty_until_something_is_imported(
    session_factory: Factory,
) -> None:
    async with session_factory() as session:
        assert await catalog_is_empty(session)

    await load(session_factory, "greenways:\n  - {code: rodano, name: Rodano, description: x}\n")

    async with session_factory() as session:
        assert not await catalog_is_empty(session)


async def test_the_summary_reads_as_one_line_of_the_sections_touched(
    session_factory: Factory,
) -> None:
    await load(session_factory, BASE)
    text = replace_once(BASE, "capacity: 2", "capacity: 5")

    summary = await load(session_factory, text)

    assert "shifts 0 created, 1 updated, 1 unchanged" in str(summary)
    assert "quartieri 0 created, 0 updated, 1 unchanged" in str(summary)
    assert summary.unchanged == 9 and summary.changed_shifts == ()
