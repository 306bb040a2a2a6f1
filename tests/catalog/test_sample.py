"""The bundled sample catalog: valid, complete, and dated in the weeks after today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from opening_hours import OpeningHours
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.model import Catalog
from bot.services.catalog.parsing import parse_catalog
from bot.services.catalog.sample import (
    SAMPLE_FILENAME,
    bundled_sample_text,
    import_sample_catalog,
    sample_catalog_text,
)
from storage.models import Event, Hub, Project, Shift, Staff
from tests.catalog.texts import ROME

Factory = async_sessionmaker[AsyncSession]
THEMES = {"prossimita", "sostenibilita", "greenway", "spazi-pubblici", "digitale"}
# Days around the daylight-saving changes, a year's end, and an ordinary day.
TODAYS = [date(2026, 3, 26), date(2026, 10, 23), date(2026, 12, 31), date(2027, 6, 9)]


def sample(today: date) -> Catalog:
    return parse_catalog(sample_catalog_text(today), SAMPLE_FILENAME, timezone=ROME)


def starts(catalog: Catalog) -> list[datetime]:
    shifts = [shift.start for project in catalog.projects for shift in project.shifts]
    return shifts + [event.start for event in catalog.events]


def test_the_bundled_file_parses_without_errors() -> None:
    catalog = parse_catalog(bundled_sample_text(), SAMPLE_FILENAME, timezone=ROME)

    assert len(catalog.hubs) >= 12 and len(catalog.events) >= 6


@pytest.mark.parametrize("today", TODAYS)
def test_shifts_and_events_fall_in_the_weeks_after_today(today: date) -> None:
    local_days = [start.astimezone(ROME).date() for start in starts(sample(today))]

    assert min(local_days) > today
    assert min(local_days) <= today + timedelta(days=7)
    assert max(local_days) <= today + timedelta(weeks=6)


@pytest.mark.parametrize("today", TODAYS)
def test_moving_keeps_weekday_and_local_time(today: date) -> None:
    anchored = parse_catalog(bundled_sample_text(), SAMPLE_FILENAME, timezone=ROME)

    for before, after in zip(starts(anchored), starts(sample(today)), strict=True):
        before_local, after_local = before.astimezone(ROME), after.astimezone(ROME)
        assert after_local.weekday() == before_local.weekday()
        assert after_local.time() == before_local.time()
        assert (after_local.date() - before_local.date()).days % 7 == 0


def test_the_sample_covers_the_city() -> None:
    catalog = sample(date(2026, 6, 1))

    assert len(catalog.quartieri) >= 20
    assert {q.consulta for q in catalog.quartieri} >= set("ABCDEFGH")
    places = [(q.lat, q.lon) for q in catalog.quartieri] + [(h.lat, h.lon) for h in catalog.hubs]
    assert all(44.64 <= lat <= 44.74 and 10.57 <= lon <= 10.70 for lat, lon in places)
    assert {p.theme for p in catalog.projects} >= THEMES
    assert {g.code for g in catalog.greenways} == {"crostolo", "rodano", "modolena"}
    assert all(set(s.name) == {"it", "en"} for s in catalog.services)
    assert all(h.email is None or h.email.endswith("@example.org") for h in catalog.hubs)


def test_the_sample_hubs_have_varied_opening_hours() -> None:
    hubs = sample(date(2026, 6, 1)).hubs
    monday_noon = datetime(2026, 6, 1, 12, 0)
    tuesday_noon = monday_noon + timedelta(days=1)

    assert any(hub.opening_hours == "24/7" for hub in hubs)
    assert any("PH off" in hub.opening_hours for hub in hubs)
    assert any(
        not OpeningHours(hub.opening_hours).is_open(monday_noon)
        and OpeningHours(hub.opening_hours).is_open(tuesday_noon)
        for hub in hubs
    )


async def test_the_sample_imports_cleanly_after_today(session_factory: Factory) -> None:
    now = datetime(2026, 10, 23, 18, 0, tzinfo=UTC)

    summary = await import_sample_catalog(session_factory, timezone=ROME, now=now)

    assert summary.updated == 0 and summary.hubs.created >= 12
    async with session_factory() as session:
        shift_starts = list(await session.scalars(select(Shift.start_at)))
        event_starts = list(await session.scalars(select(Event.start_at)))
        tutors = await session.scalar(select(func.count()).select_from(Staff))
        projects = await session.scalar(select(func.count()).select_from(Project))
        hubs_with_services = await session.scalars(select(Hub))
        assert all(hub.services for hub in hubs_with_services)
    today = now.astimezone(ROME).date()
    assert shift_starts and event_starts
    assert all(start.astimezone(ROME).date() > today for start in shift_starts + event_starts)
    assert projects == summary.projects.created and tutors == len(summary.new_staff) > 0


async def test_the_sample_imported_twice_on_the_same_day_changes_nothing(
    session_factory: Factory,
) -> None:
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    await import_sample_catalog(session_factory, timezone=ROME, now=now)

    again = await import_sample_catalog(session_factory, timezone=ROME, now=now)

    assert again.created == 0 and again.updated == 0
