"""What the commands read from their arguments: the one error for bad input, days and periods.

Values are checked by the commands rather than by argparse, so that bad input exits 1 with a
one-line reason (argparse would exit 2 with its usage). DATE is `YYYY-MM-DD` in BOT_TIMEZONE;
`--from` and `--to` are both included.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime, time
from typing import TypeAlias
from zoneinfo import ZoneInfo

# What `add_subparsers` returns: each command module adds its commands to it.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# date.fromisoformat alone would also take `20260101` and `2026-W01-1`.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadInput(Exception):
    """Printed as one line on standard error, exit status 1."""


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day (included)")


def day(value: str | None, option: str) -> date:
    """The day an option names; BadInput when it is missing or not `YYYY-MM-DD`."""
    if value is None:
        raise BadInput(f"{option} DATE is required (YYYY-MM-DD)")
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def period(args: argparse.Namespace) -> tuple[date, date]:
    """The first and last day of `--from DATE --to DATE`, both included."""
    first, last = day(args.date_from, "--from"), day(args.date_to, "--to")
    if first > last:
        raise BadInput(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    return first, last


def start_of_day(value: str | None, option: str, zone: ZoneInfo) -> datetime:
    """Midnight of the day an option names, in the programme's time zone."""
    return datetime.combine(day(value, option), time(0), zone)
