"""Hub closures in the catalog: read with their lines, replaced whole by a re-import, and
the shifts on a closed day or a public holiday named in warnings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import CatalogError, ImportSummary, import_catalog_text
from bot.services.catalog.sample import import_sample_catalog
from storage.models import HubClosure
from tests.catalog.texts import BASE, FILENAME, ROME, line_with, replace_once

Factory = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

CHRISTMAS = """\
    closures:
      - from: 2026-12-24
        to: 2027-01-06
        note: {it: Chiuso per le feste, en: Closed for the holidays}
"""
# Inserted after the first hub's services line.
FIRST_HUB_SERVICES = "    services: [portierato]\n"


def with_closures(closures: str, text: str = BASE) -> str:
    return replace_once(text, FIRST_HUB_SERVICES, FIRST_HUB_SERVICES + closures)


async def load(factory: Factory, text: str) -> ImportSummary:
    return await import_catalog_text(factory, text, FILENAME, timezone=ROME, now=NOW)


async def stored(factory: Factory) -> list[tuple[date, date, dict[str, str] | None]]:
    async with factory() as session:
        rows = await session.scalars(select(HubClosure).order_by(HubClosure.first_day))
        return [(row.first_day, row.last_day, row.note) for row in rows]


async def test_closures_are_stored_and_counted(session_factory: Factory) -> None:
    summary = await load(session_factory, with_closures(CHRISTMAS))

    assert await stored(session_factory) == [
        (
            date(2026, 12, 24),
            date(2027, 1, 6),
            {"it": "Chiuso per le feste", "en": "Closed for the holidays"},
        )
    ]
    assert "closures: 1 created, 0 updated, 0 unchanged" in summary.lines()


async def test_a_reimport_replaces_a_hubs_closures(session_factory: Factory) -> None:
    await load(session_factory, with_closures(CHRISTMAS))
    august = (
        "    closures:\n"
        "      - {from: 2027-08-09, to: 2027-08-22, note: Ferie}\n"
        "      - {from: 2026-12-24, to: 2027-01-06, "
        "note: {it: Chiuso per le feste, en: Closed for the holidays}}\n"
    )

    summary = await load(session_factory, with_closures(august))

    assert [first for first, _, _ in await stored(session_factory)] == [
        date(2026, 12, 24),
        date(2027, 8, 9),
    ]
    assert (summary.closures.created, summary.closures.unchanged) == (1, 1)
    # The hub listed without closures has none left.
    emptied = await load(session_factory, BASE)
    assert await stored(session_factory) == []
    assert emptied.closures.removed == 2 and "removed" in str(emptied)


async def test_importing_the_same_closures_again_reports_no_change(
    session_factory: Factory,
) -> None:
    await load(session_factory, with_closures(CHRISTMAS))

    again = await load(session_factory, with_closures(CHRISTMAS))

    assert not again.changed_anything and str(again).endswith("no change")


@pytest.mark.parametrize(
    ("closures", "wrong_line", "message"),
    [
        (
            "    closures:\n      - {from: 2027-01-06, to: 2026-12-24}\n",
            "{from: 2027-01-06",
            "closure: to must not be before from",
        ),
        (
            "    closures:\n      - {from: 2026-12-24, to: 6 January}\n",
            "{from: 2026-12-24",
            "to: expected a date like 2026-12-24, got '6 January'",
        ),
        (
            "    closures:\n      - {from: 2026-12-24, to: 2026-12-31}\n"
            "      - {from: 2026-12-31, to: 2027-01-06}\n",
            "{from: 2026-12-31",
            "this closure overlaps the one at line",
        ),
        (
            "    closures:\n      - {from: 2026-12-24, until: 2026-12-31}\n",
            "{from: 2026-12-24",
            "unknown field 'until' in closure; known fields: from, to, note",
        ),
    ],
)
async def test_a_wrong_closure_is_an_error_at_its_line(
    session_factory: Factory, closures: str, wrong_line: str, message: str
) -> None:
    text = with_closures(closures)

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    assert any(
        error.startswith(f"{FILENAME}:{line_with(text, wrong_line)}: {message}")
        for error in caught.value.errors
    ), caught.value.errors
    assert await stored(session_factory) == []


async def test_a_hub_lists_at_most_fifty_closures(session_factory: Factory) -> None:
    days = [
        f"      - {{from: 2027-{month:02d}-{day:02d}, to: 2027-{month:02d}-{day:02d}}}\n"
        for month in (1, 2)
        for day in range(1, 27)
    ]
    text = with_closures("    closures:\n" + "".join(days[:51]))

    with pytest.raises(CatalogError) as caught:
        await load(session_factory, text)

    first = line_with(text, "{from: 2027-01-01")
    assert caught.value.errors == [
        f"{FILENAME}:{first}: a hub lists at most 50 closures (51 given)"
    ]


async def test_a_shift_on_a_closed_day_or_a_public_holiday_is_a_warning(
    session_factory: Factory,
) -> None:
    closed = "    closures:\n      - {from: 2026-11-30, to: 2026-12-01}\n"
    text = with_closures(closed)

    summary = await load(session_factory, text)

    # Imported anyway: warnings, not errors.
    assert summary.shifts.created == 2
    first = line_with(text, "start: 2026-12-01T09:00")
    second = line_with(text, "start: 2026-12-08T09:00")
    closure = line_with(text, "{from: 2026-11-30")
    assert list(summary.warnings) == [
        f"{FILENAME}:{first}: warning: shift of project 'orti-ospizio' on 2026-12-01: its hub "
        f"is closed from 2026-11-30 to 2026-12-01 (closure at line {closure})",
        f"{FILENAME}:{second}: warning: shift of project 'orti-ospizio' on 2026-12-08, "
        "a public holiday",
    ]


async def test_a_closure_already_stored_warns_about_a_new_shift(session_factory: Factory) -> None:
    await load(
        session_factory,
        with_closures("    closures:\n      - {from: 2026-12-01, to: 2026-12-01}\n"),
    )
    only_project = BASE[BASE.index("projects:") : BASE.index("greenways:")]

    summary = await load(session_factory, only_project)

    assert summary.warnings[0].split(": warning: ")[1] == (
        "shift of project 'orti-ospizio' on 2026-12-01: its hub is closed from 2026-12-01 "
        "to 2026-12-01"
    )


async def test_the_sample_warns_about_ago_filo_e_spid_on_8_december(
    session_factory: Factory,
) -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    summary = await import_sample_catalog(session_factory, timezone=ROME, now=now)

    assert summary.shifts.created > 0 and summary.closures.created == 1
    assert any(
        "shift of project 'ago-filo-spid' on 2026-12-08, a public holiday" in warning
        for warning in summary.warnings
    )
