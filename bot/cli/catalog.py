"""`quartiere-bot import FILE`, `sample-data` and `export catalog`: the catalog in and out.

A bad file is refused whole, one `FILE:LINE: message` line per error, exit status 1;
warnings (`FILE:LINE: warning: …`) go to standard error and the file is imported anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from bot.cli.arguments import BadInput, Commands
from bot.cli.database import database
from bot.settings import Settings


def add_parsers(commands: Commands) -> None:
    importer = commands.add_parser("import", help="load a catalog file (YAML)")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.set_defaults(handler=import_command)
    sample = commands.add_parser(
        "sample-data", help="load the bundled sample catalog, dates placed after today"
    )
    sample.add_argument(
        "--if-empty", action="store_true", help="only when the catalog has no hubs yet"
    )
    sample.set_defaults(handler=sample_data_command)


def add_export_catalog(kinds: Commands) -> None:
    exporter = kinds.add_parser("catalog", help="the whole catalog as YAML, ready to import")
    exporter.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    exporter.set_defaults(handler=export_catalog_command)


async def export_catalog_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.catalog.export import export_catalog

    async with database(settings, migrating=True) as sessions, sessions() as session:
        text = await export_catalog(session, settings.timezone)
    out: Path | None = args.out
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        await asyncio.to_thread(out.write_text, text, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {out}: {error}") from None
    sys.stderr.write(f"catalog exported to {out}\n")
    return 0


async def import_command(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read {path}: {error}") from None
    return await _load_catalog(settings, text, str(path))


async def sample_data_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.catalog.sample import sample_catalog_text

    if args.if_empty and not await _catalog_is_empty(settings):
        sys.stderr.write("the catalog already has hubs: sample data not loaded\n")
        return 0
    today = datetime.now(settings.timezone).date()
    return await _load_catalog(settings, sample_catalog_text(today), "sample_catalog.yaml")


async def _catalog_is_empty(settings: Settings) -> bool:
    from bot.services.catalog.importing import catalog_is_empty

    async with database(settings, migrating=True) as sessions, sessions() as session:
        return await catalog_is_empty(session)


async def _load_catalog(settings: Settings, text: str, filename: str) -> int:
    from bot.services.catalog.importing import import_catalog_text
    from bot.services.catalog.parsing import CatalogError
    from bot.services.volunteering.reminder_times import ReminderPolicy

    async with database(settings, migrating=True) as sessions:
        try:
            summary = await import_catalog_text(
                sessions,
                text,
                filename,
                timezone=settings.timezone,
                now=datetime.now(settings.timezone),
                policy=ReminderPolicy.from_settings(settings),
            )
        except CatalogError as error:
            for line in error.errors:
                sys.stderr.write(line + "\n")
            return 1
    for warning in summary.warnings:
        sys.stderr.write(warning + "\n")
    sys.stderr.write(f"imported {filename}: {summary}\n")
    return 0
