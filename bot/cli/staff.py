"""`quartiere-bot staff add|list|remove`: appoint tutors and admins from the server."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.cli.arguments import BadInput, Commands
from bot.cli.database import database
from bot.settings import Settings


def add_parsers(commands: Commands) -> None:
    staff = commands.add_parser("staff", help="appoint, list and remove tutors and admins")
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a user a tutor of projects, or an admin")
    add.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    add.add_argument("--role", choices=("tutor", "admin"), required=True)
    add.add_argument("--project", action="append", default=[], metavar="CODE")
    add.set_defaults(handler=add_command)
    listing = actions.add_parser("list", help="one line per staff member: id, role, projects")
    listing.set_defaults(handler=list_command)
    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    remove.set_defaults(handler=remove_command)


async def add_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff
    from bot.services.people.roles import Role

    async with database(settings, migrating=True) as sessions, sessions() as session:
        now = datetime.now(settings.timezone)
        try:
            member = await staff.add_staff(
                session, args.telegram_id, Role(args.role), args.project, now
            )
        except staff.StaffError as error:
            raise BadInput(str(error)) from None
    sys.stderr.write(f"{member.telegram_id} is now {member.role.value}\n")
    return 0


async def list_command(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff

    async with database(settings, migrating=True) as sessions, sessions() as session:
        members = await staff.list_staff(session)
    for member in members:
        sys.stdout.write(f"{member.telegram_id} {member.role.value} {','.join(member.projects)}\n")
    return 0


async def remove_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff

    async with database(settings, migrating=True) as sessions, sessions() as session:
        try:
            handed = await staff.remove_staff(
                session,
                args.telegram_id,
                admin_ids=settings.admin_ids,
                now=datetime.now(settings.timezone),
            )
        except staff.StaffError as error:
            raise BadInput(str(error)) from None
    passed_on = f"{handed} pending reports passed on"
    sys.stderr.write(f"{args.telegram_id} is no longer staff ({passed_on})\n")
    return 0
