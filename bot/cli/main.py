"""The `quartiere-bot` command: run the bot and the operators' tools.

Results go to standard output; progress, warnings and errors to standard error.
Bad input exits 1 with a one-line reason.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import audit as cli_audit
from bot.cli import broadcast as cli_broadcast
from bot.cli import hours as cli_hours
from bot.settings import Settings, SettingsError, load_settings


class CliError(Exception):
    """Bad input: printed as one line, exit status 1."""


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quartiere-bot",
        description="Quartiere bot: community hubs, civic volunteering and greenways on Telegram.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (long polling); migrates first")
    commands.add_parser(
        "send", help="only send the outbox (OUTBOX_SENDER=separate); migrates first"
    )
    commands.add_parser("migrate", help="apply the database migrations")
    importer = commands.add_parser("import", help="load a catalog file (YAML)")
    importer.add_argument("file", type=Path, metavar="FILE")
    sample = commands.add_parser(
        "sample-data", help="load the bundled sample catalog, dates placed after today"
    )
    sample.add_argument(
        "--if-empty", action="store_true", help="only when the catalog has no hubs yet"
    )
    _staff_parser(commands)
    _export_parser(commands)
    commands.add_parser(
        "demo", help="the bot with a local Telegram emulator and a web chat; no token needed"
    )
    cli_hours.add_parsers(commands)
    cli_broadcast.add_parser(commands)
    cli_audit.add_parser(commands)
    return parser


def _staff_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = commands.add_parser("staff", help="appoint, list and remove tutors and admins")
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a user a tutor of projects, or an admin")
    add.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    add.add_argument("--role", choices=("tutor", "admin"), required=True)
    add.add_argument("--project", action="append", default=[], metavar="CODE")
    actions.add_parser("list", help="one line per staff member: id, role, projects")
    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")


def _export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="write records as CSV for the office")
    kinds = export.add_subparsers(dest="kind", required=True, metavar="KIND")
    volunteers = kinds.add_parser("volunteers", help="the register, one row per volunteer")
    volunteers.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    cli_hours.add_export_hours(kinds)


def keep_personal_data_out_of_logs() -> None:
    """Even at LOG_LEVEL=DEBUG: these libraries log SQL parameters and request bodies."""
    for name in ("aiosqlite", "sqlalchemy.engine", "asyncpg", "aiohttp.client"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        _err(f"configuration error: {error}")
        return 1
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
    handler = _HANDLERS[args.command]
    try:
        return asyncio.run(handler(args, settings))
    except (CliError, cli_hours.BadInput, cli_broadcast.BadInput, cli_audit.BadInput) as error:
        _err(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.app import run_bot

    if settings.bot_token is None:
        raise CliError("BOT_TOKEN is not set: get a token from @BotFather on Telegram")
    try:
        return await run_bot(settings)
    except ValueError as error:
        if "token" in str(error).lower():
            raise CliError(f"BOT_TOKEN: {error}") from None
        raise


async def _send(_args: argparse.Namespace, settings: Settings) -> int:
    # Without aiogram: this process stays small (bot/runtime/send.py).
    from bot.runtime.send import run_sender

    if settings.bot_token is None:
        raise CliError("BOT_TOKEN is not set: get a token from @BotFather on Telegram")
    return await run_sender(settings)


async def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    from storage import migrate

    await migrate.upgrade(settings.database_url)
    _err("database is up to date")
    return 0


async def _import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read {path}: {error}") from None
    return await _load_catalog(settings, text, str(path))


async def _sample_data(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.catalog.sample import sample_catalog_text

    if args.if_empty and not await _catalog_is_empty(settings):
        _err("the catalog already has hubs: sample data not loaded")
        return 0
    today = datetime.now(settings.timezone).date()
    return await _load_catalog(settings, sample_catalog_text(today), "sample_catalog.yaml")


async def _catalog_is_empty(settings: Settings) -> bool:
    from bot.services.catalog.importing import catalog_is_empty

    async with _database(settings) as sessions, sessions() as session:
        return await catalog_is_empty(session)


async def _load_catalog(settings: Settings, text: str, filename: str) -> int:
    from bot.services.catalog.importing import import_catalog_text
    from bot.services.catalog.parsing import CatalogError
    from bot.services.volunteering.reminder_times import ReminderPolicy

    async with _database(settings) as sessions:
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
                _err(line)
            return 1
    _err(f"imported {filename}: {summary}")
    return 0


async def _staff(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff
    from bot.services.people.roles import Role

    async with _database(settings) as sessions, sessions() as session:
        try:
            if args.action == "add":
                role = Role(args.role)
                now = datetime.now(settings.timezone)
                member = await staff.add_staff(session, args.telegram_id, role, args.project, now)
                _err(f"{member.telegram_id} is now {member.role.value}")
            elif args.action == "remove":
                handed = await staff.remove_staff(
                    session,
                    args.telegram_id,
                    admin_ids=settings.admin_ids,
                    now=datetime.now(settings.timezone),
                )
                _err(f"{args.telegram_id} is no longer staff ({handed} pending reports passed on)")
            else:
                for member in await staff.list_staff(session):
                    _out(f"{member.telegram_id} {member.role.value} {','.join(member.projects)}")
        except staff.StaffError as error:
            raise CliError(str(error)) from None
    return 0


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.figures import export

    if args.kind == "hours":
        return await cli_hours.export_hours(args, settings)
    async with _database(settings) as sessions, sessions() as session:
        if args.kind == "volunteers":
            table = await export.volunteer_register(session, settings.timezone)
            await cli_audit.note_read(session, settings, "export.volunteers", "register")
        else:
            raise CliError(f"unknown export: {args.kind}")
    try:
        export.write_csv(table, args.out)
    except export.ExportError as error:
        raise CliError(str(error)) from None
    _err(f"{table.summary()} exported")
    return 0


async def _demo(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.demo import run_demo

    return await run_demo(settings)


@contextlib.asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database for one CLI command, disposed of afterwards."""
    from storage import migrate
    from storage.db import create_engine, create_session_factory

    await migrate.upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
_HANDLERS: dict[str, Handler] = {
    "run": _run,
    "send": _send,
    "migrate": _migrate,
    "import": _import,
    "sample-data": _sample_data,
    "staff": _staff,
    "export": _export,
    "demo": _demo,
    **cli_hours.HANDLERS,
    **cli_audit.HANDLERS,
    **cli_broadcast.handlers(_database),
}

if __name__ == "__main__":
    sys.exit(main())
