"""The database for one command, and `quartiere-bot migrate`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.arguments import BadInput, Commands
from bot.settings import Settings


def add_parsers(commands: Commands) -> None:
    commands.add_parser("migrate", help="apply the database migrations").set_defaults(
        handler=migrate_command
    )


async def migrate_command(_args: argparse.Namespace, settings: Settings) -> int:
    from storage import migrate

    await migrate.upgrade(settings.database_url)
    sys.stderr.write("database is up to date\n")
    return 0


@contextlib.asynccontextmanager
async def database(
    settings: Settings, *, migrating: bool
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The database for one command, disposed of afterwards.

    A command that writes migrates it first. A command that only reads takes it as it is
    (so it works with a read-only database role), and a database it cannot read says so in
    one line.
    """
    from sqlalchemy.exc import DBAPIError

    from storage import migrate
    from storage.db import create_engine, create_session_factory

    if migrating:
        await migrate.upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        yield create_session_factory(engine)
    except (DBAPIError, OSError) as error:
        if migrating:
            raise
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise BadInput(f"cannot read the database ({reason}); is it migrated?") from None
    finally:
        await engine.dispose()
