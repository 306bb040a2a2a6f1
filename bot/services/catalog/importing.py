"""Importing a catalog file: upsert by code, all or nothing, never deleting.

`quartiere-bot import FILE` calls `import_catalog_text`; a file with any problem is
rejected whole with every problem listed as `FILE:LINE: message`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.checks import check_against_database
from bot.services.catalog.model import Catalog, CatalogError, Problem
from bot.services.catalog.parsing import read_catalog
from bot.services.catalog.summary import ImportSummary, SectionCounts
from bot.services.catalog.warnings import shift_warnings
from bot.services.catalog.writing import write_catalog
from bot.services.events import changes as event_notices
from bot.services.hubs import finder as hubs
from bot.services.volunteering import shifts
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.repositories import catalog as repo

# The zone notices use when the caller names none (the CLI always passes BOT_TIMEZONE).
PROGRAMME_ZONE = ZoneInfo("Europe/Rome")

__all__ = [
    "CatalogError",
    "ImportSummary",
    "SectionCounts",
    "catalog_is_empty",
    "import_catalog",
    "import_catalog_text",
]


async def import_catalog(
    session: AsyncSession,
    catalog: Catalog,
    *,
    now: datetime,
    timezone: ZoneInfo = PROGRAMME_ZONE,
    policy: ReminderPolicy | None = None,
) -> ImportSummary:
    """Writes a parsed catalog in one transaction and commits it.

    References to items already in the database are accepted; a reference to nothing, or
    a shift that clashes with one already stored, raises CatalogError and writes nothing.
    """
    return await _import(session, catalog, [], now, timezone, policy)


async def import_catalog_text(
    session_factory: async_sessionmaker[AsyncSession],
    text: str,
    filename: str,
    *,
    timezone: ZoneInfo,
    now: datetime,
    policy: ReminderPolicy | None = None,
) -> ImportSummary:
    """Parses, checks and imports a catalog file; CatalogError lists every problem found.

    `policy` times the reminders of moved shifts (the defaults in `timezone` without one).
    """
    catalog, problems = read_catalog(text, filename, timezone=timezone)
    async with session_factory() as session:
        return await _import(session, catalog, problems, now, timezone, policy)


async def _import(
    session: AsyncSession,
    catalog: Catalog,
    problems: list[Problem],
    now: datetime,
    timezone: ZoneInfo,
    policy: ReminderPolicy | None,
) -> ImportSummary:
    try:
        # The file's own problems and those found against the database come out together.
        plan, found = await check_against_database(session, catalog)
        if problems or found:
            raise CatalogError.from_problems(catalog.filename, problems + found)
        # Read before writing: a closure already stored names no line of this file.
        warnings = await shift_warnings(session, catalog, timezone)
        tally = await write_catalog(session, catalog, plan, now)
        summary = replace(tally.summary(), warnings=tuple(warnings))
        # In the same transaction: the notices exist exactly when the change does.
        await shifts.tell_about_catalog_changes(
            session,
            changed=summary.changed_shifts,
            cancelled=summary.cancelled_shifts,
            now=now,
            zone=str(timezone),
            policy=policy,
            raised=summary.raised_shifts,
        )
        await event_notices.tell_about_catalog_changes(
            session,
            new=summary.new_events,
            rescheduled=summary.rescheduled_events,
            cancelled=summary.cancelled_events,
            now=now,
            policy=policy or ReminderPolicy(zone=timezone),
        )
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    hubs.forget_catalog()
    return summary


async def catalog_is_empty(session: AsyncSession) -> bool:
    """Whether nothing was imported yet (`make run` then loads the sample catalog)."""
    return await repo.catalog_is_empty(session)
