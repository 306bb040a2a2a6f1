"""`quartiere-bot broadcast`: queue an announcement from the command line.

The running bot delivers it through the outbox. Without `--yes` the operator confirms on a
terminal; with no terminal the command refuses.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from bot.cli.arguments import BadInput, Commands
from bot.cli.database import database
from bot.settings import Settings

AUDIENCES = "all, quartiere:NAME, project:CODE, greenway:CODE, lang:xx, volunteers"


def add_parsers(commands: Commands) -> None:
    broadcast = commands.add_parser(
        "broadcast", help="queue an announcement; the running bot delivers it"
    )
    broadcast.add_argument("--text", metavar="TEXT", help="the announcement, as Telegram HTML")
    broadcast.add_argument(
        "--audience",
        default="all",
        metavar="AUDIENCE",
        help=f"who gets it: {AUDIENCES}, or several joined by ',' (default: all)",
    )
    broadcast.add_argument(
        "--at",
        metavar="TIME",
        help="when: YYYY-MM-DDTHH:MM[±HH:MM], local time unless an offset is given",
    )
    broadcast.add_argument("--urgent", action="store_true", help="also to users who muted")
    broadcast.add_argument("--yes", action="store_true", help="queue without asking")
    broadcast.set_defaults(handler=broadcast_command)


async def broadcast_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.announcements import audiences
    from bot.services.announcements import compose as announcements

    if not args.text:
        raise BadInput("--text TEXT is required")
    now = datetime.now(settings.timezone)
    try:
        send_at = (
            announcements.parse_send_time(args.at, now, settings.timezone) if args.at else None
        )
        draft = announcements.Draft(
            text=args.text, audience=args.audience, urgent=args.urgent, send_at=send_at
        )
        announcements.check_texts(draft)
        audiences.parse_audience(args.audience)
        async with database(settings, migrating=True) as sessions, sessions() as session:
            count = await audiences.count_recipients(
                session, args.audience, urgent=args.urgent, default_locale=settings.default_locale
            )
            moment = announcements.going_out_at(draft, now, settings.quiet_hours, settings.timezone)
            when = _when(moment if moment > now else None, settings)
            if not args.yes:
                await _confirm(f"Queue this announcement for {count} recipients, {when}?")
            queued = await announcements.announce(
                session,
                draft,
                actor=None,
                admin_ids=settings.admin_ids,
                now=now,
                default_locale=settings.default_locale,
                quiet_hours=settings.quiet_hours,
                zone=settings.timezone,
            )
    except (announcements.AnnouncementError, audiences.AudienceError) as error:
        raise BadInput(str(error)) from None
    when = _when(queued.send_at if queued.send_at > now else None, settings)
    sys.stderr.write(
        f"queued announcement #{queued.id} for {queued.recipients} recipients, {when}\n"
    )
    return 0


def _when(send_at: datetime | None, settings: Settings) -> str:
    if send_at is None:
        return "going out now"
    local = send_at.astimezone(settings.timezone)
    return f"going out at {local:%Y-%m-%d %H:%M} ({settings.bot_timezone})"


async def _confirm(question: str) -> None:
    if not sys.stdin.isatty():
        raise BadInput("no terminal to confirm on: add --yes to queue without asking")
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = await asyncio.to_thread(sys.stdin.readline)
    if answer.strip().lower() not in ("y", "yes"):
        raise BadInput("not confirmed: nothing queued")
