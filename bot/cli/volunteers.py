"""`quartiere-bot export volunteers`: the volunteer register as CSV for the office."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.arguments import BadInput, Commands
from bot.cli.audit import note_read
from bot.cli.database import database
from bot.settings import Settings


def add_export_volunteers(kinds: Commands) -> None:
    volunteers = kinds.add_parser("volunteers", help="the register, one row per volunteer")
    volunteers.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    volunteers.set_defaults(handler=export_volunteers)


async def export_volunteers(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.figures import export

    async with database(settings, migrating=True) as sessions, sessions() as session:
        table = await export.volunteer_register(session, settings.timezone)
        await note_read(session, settings, "export.volunteers", "register")
    try:
        export.write_csv(table, args.out)
    except export.ExportError as error:
        raise BadInput(str(error)) from None
    sys.stderr.write(f"{table.summary()} exported\n")
    return 0
