"""`quartiere-bot audit --since DATE`: the staff actions recorded since a day, oldest first.

Also records the command line's own reads of personal data (exports, figures), so the
log shows who looked at what from the server as well as in Telegram.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.arguments import Commands, start_of_day
from bot.cli.database import database
from bot.settings import Settings


def add_parsers(commands: Commands) -> None:
    audit = commands.add_parser(
        "audit", help="staff actions recorded since a day, one per line, oldest first"
    )
    audit.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD (BOT_TIMEZONE)")
    audit.set_defaults(handler=audit_command)


async def audit_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import audit

    since = start_of_day(args.since, "--since", settings.timezone)
    async with database(settings, migrating=False) as sessions, sessions() as session:
        lines = await audit.lines_since(session, since)
    for line in lines:
        sys.stdout.write(line.render(settings.timezone) + "\n")
    return 0


async def note_read(session: AsyncSession, settings: Settings, action: str, target: str) -> None:
    """Records an operator's read; a database that cannot be written only gets a warning."""
    from sqlalchemy.exc import DBAPIError

    from bot.services.people import audit

    try:
        await audit.record_read(session, None, action, target, datetime.now(settings.timezone))
    except DBAPIError:
        await session.rollback()
        sys.stderr.write(f"warning: could not record {action} in the audit log\n")
