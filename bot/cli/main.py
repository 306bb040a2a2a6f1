"""The `quartiere-bot` command: the parser, and the dispatch to one module per command group.

Results go to standard output; progress, warnings and errors to standard error.
Bad input exits 1 with a one-line reason.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.cli import audit, broadcast, catalog, database, hours, processes, staff, volunteers
from bot.cli.arguments import BadInput, Commands
from bot.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quartiere-bot",
        description="Quartiere bot: community hubs, civic volunteering and greenways on Telegram.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    processes.add_parsers(commands)
    database.add_parsers(commands)
    catalog.add_parsers(commands)
    staff.add_parsers(commands)
    _export_parser(commands)
    processes.add_demo_parser(commands)
    hours.add_parsers(commands)
    broadcast.add_parsers(commands)
    audit.add_parsers(commands)
    return parser


def _export_parser(commands: Commands) -> None:
    export = commands.add_parser("export", help="write records as CSV, or the catalog as YAML")
    kinds = export.add_subparsers(dest="kind", required=True, metavar="KIND")
    catalog.add_export_catalog(kinds)
    volunteers.add_export_volunteers(kinds)
    hours.add_export_hours(kinds)


def keep_personal_data_out_of_logs() -> None:
    """Even at LOG_LEVEL=DEBUG: these libraries log SQL parameters and request bodies."""
    for name in ("aiosqlite", "sqlalchemy.engine", "asyncpg", "aiohttp.client"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram logs every update, Alembic every step and APScheduler every tick at INFO:
    # debugging detail for an operator.
    quiet = max(logging.WARNING, logging.root.level)
    logging.getLogger("aiogram.event").setLevel(quiet)
    logging.getLogger("alembic").setLevel(quiet)
    logging.getLogger("apscheduler").setLevel(quiet)
    keep_personal_data_out_of_logs()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        sys.stderr.write(f"configuration error: {error}\n")
        return 1
    _configure_logging(settings)
    handler: Handler = args.handler
    try:
        return asyncio.run(handler(args, settings))
    except BadInput as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
