"""`quartiere-bot export hours`, `stats` and `verify`: volunteer hours for the office.

Results go to standard output (or --out); the progress line and errors to standard error.
These commands only read, so they do not migrate the database.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot import csv_cells
from bot.cli.arguments import BadInput, Commands, add_period_arguments, period
from bot.cli.audit import note_read
from bot.cli.database import database
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services.figures.key_figures import Figures

HOURS_HEADER = (
    "date",
    "telegram_user_id",
    "volunteer_name",
    "project_code",
    "minutes",
    "status",
    "reviewed_by",
)
# HourReportStatus written out, so that building the parser loads no ORM (a test pins it).
STATUSES = ("pending", "approved", "rejected")
FORMATS = ("text", "csv")


def add_export_hours(kinds: Commands) -> None:
    hours = kinds.add_parser("hours", help="hour reports, one row per report")
    add_period_arguments(hours)
    hours.add_argument("--status", metavar="|".join(STATUSES), help="only reports in this state")
    hours.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    hours.set_defaults(handler=export_hours)


def add_parsers(commands: Commands) -> None:
    stats = commands.add_parser(
        "stats", help="key figures: active volunteers, approved hours, tutors, by project"
    )
    add_period_arguments(stats)
    stats.add_argument("--format", default="text", metavar="|".join(FORMATS), dest="output")
    stats.set_defaults(handler=stats_command)
    verify = commands.add_parser("verify", help="check an hours certificate's code")
    verify.add_argument("code", metavar="CODE")
    verify.set_defaults(handler=verify_command)


def _target(first: date, last: date) -> str:
    return f"period:{first.isoformat()}..{last.isoformat()}"


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise BadInput(f"{option} must be one of {', '.join(choices)}, not {value!r}")
    return value


async def export_hours(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.figures import export
    from storage.repositories import hour_figures

    first, last = period(args)
    status = None if args.status is None else _choice(args.status, STATUSES, "--status")
    count = 0
    try:
        with export.csv_output(args.out) as stream:
            writer = csv_cells.writer(stream)
            writer.writerow(HOURS_HEADER)
            async with database(settings, migrating=False) as sessions, sessions() as session:
                async for batch in hour_figures.stream_reports(session, first, last, status):
                    writer.writerows(
                        (day.isoformat(), user, name or "", code, minutes, state, reviewer or "")
                        for day, user, name, code, minutes, state, reviewer in batch
                    )
                    count += len(batch)
                await note_read(session, settings, "export.hours", _target(first, last))
    except export.ExportError as error:
        raise BadInput(str(error)) from None
    sys.stderr.write(f"{count} hour report{'' if count == 1 else 's'} exported\n")
    return 0


async def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.figures import export
    from bot.services.figures import key_figures as figures

    first, last = period(args)
    output = _choice(args.output, FORMATS, "--format")
    async with database(settings, migrating=False) as sessions, sessions() as session:
        found = await figures.key_figures(session, first, last)
        await note_read(session, settings, "figures.stats", _target(first, last))
    locale = settings.default_locale
    if output == "csv":
        with export.csv_output(None) as stream:
            rows = figures.figures_rows(found, locale, locale, "total")
            csv_cells.writer(stream).writerows([figures.FIGURES_HEADER, *rows])
        return 0
    for line in _stats_text(found, locale):
        sys.stdout.write(line + "\n")
    return 0


def _stats_text(found: Figures, locale: str) -> list[str]:
    from bot.i18n import pick
    from bot.services.figures.key_figures import hours_figure

    rows = [
        (p.code, str(p.volunteers), hours_figure(p.minutes), str(p.tutors)) for p in found.projects
    ]
    rows.append(("total", str(found.volunteers), hours_figure(found.minutes), str(found.tutors)))
    header = ("project", "active_volunteers", "approved_hours", "tutors")
    width = max(len(row[0]) for row in [header, *rows])
    lines = [f"key figures {found.date_from.isoformat()} to {found.date_to.isoformat()}"]
    for code, *numbers in [header, *rows]:
        lines.append(f"{code:<{width}}  " + "  ".join(f"{n:>17}" for n in numbers).rstrip())
    titles = [f"{p.code}: {pick(p.title, locale, locale)}" for p in found.projects]
    return lines + (["", *titles] if titles else [])


async def verify_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.figures.key_figures import hours_figure
    from bot.services.hours.certificates import find_certificate

    async with database(settings, migrating=False) as sessions, sessions() as session:
        certificate = await find_certificate(session, args.code)
    if certificate is None:
        raise BadInput(f"unknown certificate code {args.code!r}")
    issued = certificate.issued_at.astimezone(settings.timezone)
    lines = [
        f"certificate {certificate.code}: valid",
        f"volunteer: {certificate.full_name} (Telegram id {certificate.telegram_id})",
        f"period: {certificate.period_from.isoformat()} to {certificate.period_to.isoformat()}",
        f"approved hours: {hours_figure(certificate.minutes)} ({certificate.minutes} minutes)",
        *(f"  {p.code}: {hours_figure(p.minutes)} hours ({p.title})" for p in certificate.projects),
        f"issued: {issued:%Y-%m-%d %H:%M} {settings.bot_timezone} by {settings.issuer}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
