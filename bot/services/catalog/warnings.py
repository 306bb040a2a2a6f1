"""Warnings of an import: what is imported anyway but an operator should look at.

A shift on a day its hub is closed (a closure of the file or already stored) or on an
Italian public holiday is probably a mistake: nobody can sign up for the first, and few
hubs open on the second. Each warning is a `FILE:LINE: warning: …` line.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalog.model import Catalog, ClosureEntry, ShiftEntry
from bot.services.hubs import opening
from storage.models import Hub
from storage.repositories import catalog as repo
from storage.repositories import closures as closures_repo


async def shift_warnings(session: AsyncSession, catalog: Catalog, zone: ZoneInfo) -> list[str]:
    """One line per shift of the file on a closure day of its hub or on a public holiday."""
    closures = await _closures(session, catalog)
    found: list[tuple[int, str]] = []
    for project in catalog.projects:
        hub = project.hub.code if project.hub is not None else None
        for shift in project.shifts:
            if shift.cancelled:
                continue
            reason = _reason(shift, closures.get(hub, ()) if hub else (), zone)
            if reason is not None:
                found.append((shift.start_line, f"shift of project {project.code!r} on {reason}"))
    return [f"{catalog.filename}:{line}: warning: {message}" for line, message in sorted(found)]


async def _closures(session: AsyncSession, catalog: Catalog) -> dict[str, tuple[ClosureEntry, ...]]:
    """The closures of every hub the file's projects name: the file's own, else the stored."""
    in_file = {hub.code: hub.closures for hub in catalog.hubs}
    named = {p.hub.code for p in catalog.projects if p.hub is not None and p.shifts}
    stored_hubs = await repo.find_by_codes(session, Hub, named - in_file.keys())
    stored = await closures_repo.closures_by_hub(session, [hub.id for hub in stored_hubs.values()])
    result = {code: closures for code, closures in in_file.items() if code in named}
    for code, hub in stored_hubs.items():
        result[code] = tuple(
            ClosureEntry(row.first_day, row.last_day, row.note, 0) for row in stored.get(hub.id, [])
        )
    return result


def _reason(shift: ShiftEntry, closures: tuple[ClosureEntry, ...], zone: ZoneInfo) -> str | None:
    first = shift.start.astimezone(zone).date()
    # A shift ending at midnight does not touch the next day.
    last = max(first, (shift.end.astimezone(zone) - timedelta(microseconds=1)).date())
    for day in _days(first, last):
        for closure in closures:
            if closure.first <= day <= closure.last:
                where = f" (closure at line {closure.line})" if closure.line else ""
                return (
                    f"{day.isoformat()}: its hub is closed from {closure.first.isoformat()} "
                    f"to {closure.last.isoformat()}{where}"
                )
        if opening.is_public_holiday(zone, day):
            return f"{day.isoformat()}, a public holiday"
    return None


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
