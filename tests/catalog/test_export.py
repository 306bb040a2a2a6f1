"""`quartiere-bot export catalog`: the whole catalog as YAML that imports back unchanged."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.catalog.export import export_catalog
from bot.services.catalog.importing import ImportSummary, import_catalog_text
from bot.services.catalog.sample import sample_catalog_text
from storage.db import create_engine, create_session_factory
from tests.catalog.texts import ROME
from tests.support.cli import cli
from tests.support.databases import new_database_url

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SAMPLE = sample_catalog_text(NOW.date())


async def _import(url: str, text: str, filename: str = "catalog.yaml") -> ImportSummary:
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        return await import_catalog_text(factory, text, filename, timezone=ROME, now=NOW)
    finally:
        await engine.dispose()


async def _export(url: str) -> str:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return await export_catalog(session, ROME)
    finally:
        await engine.dispose()


def _kind(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def test_the_exported_sample_imports_back_with_no_change(database_url: str) -> None:
    asyncio.run(_import(database_url, SAMPLE, "sample_catalog.yaml"))
    exported = asyncio.run(_export(database_url))

    again = asyncio.run(_import(database_url, exported))

    assert not again.changed_anything, str(again)
    assert again.hubs.unchanged >= 12 and again.closures.unchanged == 1
    assert again.shifts.unchanged >= 20 and again.events.unchanged >= 6
    assert str(again).endswith("no change")


def test_export_import_into_an_empty_database_export_gives_the_same_bytes(
    database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    asyncio.run(_import(database_url, SAMPLE, "sample_catalog.yaml"))
    first = asyncio.run(_export(database_url))
    empty = new_database_url(_kind(database_url), request, tmp_path)

    asyncio.run(_import(empty, first))

    assert asyncio.run(_export(empty)).encode() == first.encode()


def test_the_export_is_block_style_yaml_with_unicode_as_written(database_url: str) -> None:
    asyncio.run(_import(database_url, SAMPLE, "sample_catalog.yaml"))

    exported = asyncio.run(_export(database_url))

    assert "Wi-Fi di comunità" in exported and "\\u" not in exported
    assert "\n  - {" not in exported and "\n- {" not in exported  # no flow mappings
    assert "\nhubs:\n  - code: " in exported
    # Dates and local times as a person writes them in a catalog.
    assert "    closures:\n      - from: 2026-12-07\n        to: 2026-12-12\n" in exported
    assert "\n        start: 2026-12-08T15:00\n        end: 2026-12-08T18:00\n" in exported


def test_the_command_writes_the_catalog_to_a_file_or_to_standard_output(
    database_url: str, tmp_path: Path
) -> None:
    asyncio.run(_import(database_url, SAMPLE, "sample_catalog.yaml"))

    printed = cli("export", "catalog", database_url=database_url, cwd=tmp_path)
    written = cli(
        "export", "catalog", "--out", "catalog.yaml", database_url=database_url, cwd=tmp_path
    )

    assert printed.returncode == written.returncode == 0, written.stderr
    assert written.stdout == b"" and written.stderr.strip() == "catalog exported to catalog.yaml"
    assert (tmp_path / "catalog.yaml").read_bytes() == printed.stdout
    assert printed.stdout.decode().startswith("# Quartiere bot catalog")


DST_END = """\
projects:
  - code: notte
    title: Notte bianca
    description: Aiuto alla notte bianca
    theme: prossimita
    shifts:
      - {code: prima, start: "2026-10-25T02:30+02:00", end: "2026-10-25T02:45+02:00", capacity: 1}
      - {code: seconda, start: "2026-10-25T02:30+01:00", end: 2026-10-25T04:00, capacity: 1}
"""


def test_a_time_the_clock_repeats_keeps_its_offset(database_url: str) -> None:
    asyncio.run(_import(database_url, DST_END))

    exported = asyncio.run(_export(database_url))

    # The first 02:30 reads back as written; the second needs its offset.
    assert "start: 2026-10-25T02:30\n" in exported
    assert "start: 2026-10-25T02:30+01:00\n" in exported
    assert not asyncio.run(_import(database_url, exported)).changed_anything
