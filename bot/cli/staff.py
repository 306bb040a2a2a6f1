"""`quartiere-bot staff add|list|remove`: give and take staff roles from the server."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.cli.arguments import BadInput, Commands
from bot.cli.database import database
from bot.settings import Settings

ROLES = ("tutor", "admin", "office", "secretary", "desk")


def add_parsers(commands: Commands) -> None:
    staff = commands.add_parser("staff", help="appoint, list and remove staff roles")
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="give a user one more role: tutor of projects, admin, office, secretary or desk",
        description=(
            "Gives a user one role; a person may hold several (run it once per role). "
            "The office, Consulta and desk codes are stored as given: the catalog has no "
            "offices, Consulte or desks yet, so they are not checked against it."
        ),
    )
    add.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument(
        "--project", action="append", default=[], metavar="CODE", help="tutor: a project"
    )
    add.add_argument(
        "--office", action="append", default=[], metavar="CODE", help="office: its code"
    )
    add.add_argument(
        "--consulta", action="append", default=[], metavar="CODE", help="secretary: its code"
    )
    add.add_argument("--desk", action="append", default=[], metavar="CODE", help="desk: its code")
    add.set_defaults(handler=add_command)
    listing = actions.add_parser(
        "list",
        help="one line per role held: id,role,scopes",
        description=(
            "One line per role held, `id,role,scopes`: a tutor's project codes, an office's, "
            "a Consulta's or a desk's code, separated by spaces; nothing for an admin."
        ),
    )
    listing.set_defaults(handler=list_command)
    remove = actions.add_parser("remove", help="remove one role of a user, or all of them")
    remove.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    remove.add_argument("--role", choices=ROLES, help="only this role (default: every role)")
    remove.set_defaults(handler=remove_command)


def _scopes(args: argparse.Namespace) -> list[str]:
    """The codes given with --office, --consulta and --desk; the service checks they fit."""
    return [*args.office, *args.consulta, *args.desk]


async def add_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff
    from bot.services.people.roles import Role

    role = Role(args.role)
    option = staff.SCOPE_OPTIONS.get(role)
    given = {"--office": args.office, "--consulta": args.consulta, "--desk": args.desk}
    stray = [name for name, codes in given.items() if codes and name != option]
    if stray:
        raise BadInput(f"{stray[0]} does not apply to --role {role.value}")
    async with database(settings, migrating=True) as sessions, sessions() as session:
        now = datetime.now(settings.timezone)
        try:
            held = await staff.add_staff(
                session, args.telegram_id, role, args.project, now, scopes=_scopes(args)
            )
        except staff.StaffError as error:
            raise BadInput(str(error)) from None
    roles = ", ".join(member.role.value for member in held)
    sys.stderr.write(f"{args.telegram_id} is now {role.value} (holds: {roles})\n")
    return 0


async def list_command(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff

    async with database(settings, migrating=True) as sessions, sessions() as session:
        members = await staff.list_staff(session)
    for member in members:
        sys.stdout.write(f"{member.telegram_id},{member.role.value},{' '.join(member.scopes)}\n")
    return 0


async def remove_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.people import staff
    from bot.services.people.roles import Role

    role = None if args.role is None else Role(args.role)
    async with database(settings, migrating=True) as sessions, sessions() as session:
        try:
            handed = await staff.remove_staff(
                session,
                args.telegram_id,
                role=role,
                admin_ids=settings.admin_ids,
                now=datetime.now(settings.timezone),
            )
        except staff.StaffError as error:
            raise BadInput(str(error)) from None
    passed_on = f"{handed} pending reports passed on"
    what = "staff" if role is None else role.value
    sys.stderr.write(f"{args.telegram_id} is no longer {what} ({passed_on})\n")
    return 0
