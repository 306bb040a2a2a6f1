"""`quartiere-bot audit --since DATE`: the staff actions recorded since a day, oldest first.

Also records the command line's own reads of personal data (exports, figures), so the
log shows who looked at what from the server as well as in Telegram.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Coroutine
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


class BadInput(Exception):
    """Printed as one line, exit status 1."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser(
        "audit", help="staff actions recorded since a day, one per line, oldest first"
    )
    # Checked by the command rather than argparse, so a bad value exits 1 with one line.
    audit.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD (BOT_TIMEZONE)")


def _since(value: str | None, settings: Settings) -> datetime:
    if value is None:
        raise BadInput("--since DATE is required (YYYY-MM-DD)")
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--since {value!r} is not a date (YYYY-MM-DD)") from None
    return datetime.combine(day, time(0), settings.timezone)


async def audit_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.hours import reading
    from bot.services.people import audit

    since = _since(args.since, settings)
    async with reading(settings) as session:
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


# cache: the command table, filled at import and only read
HANDLERS: dict[str, Handler] = {"audit": audit_command}
