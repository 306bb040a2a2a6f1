"""Hub closures: the days a hub is closed outside its opening hours, as the catalog lists them.

A catalog import replaces a hub's closures whole; the hub finder reads them all with the
hubs, and a shift sign-up asks whether its hub is closed on the shift's day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HubClosure
from storage.types import Translations

# What a closure is, without its row: first day, last day (both included), note.
ClosureValues = tuple[date, date, Translations | None]


async def closures_by_hub(
    session: AsyncSession, hub_ids: Iterable[int] | None = None
) -> dict[int, list[HubClosure]]:
    """Every closure (of the given hubs, or of all), per hub, earliest first."""
    query = select(HubClosure).order_by(HubClosure.hub_id, HubClosure.first_day, HubClosure.id)
    if hub_ids is not None:
        query = query.where(HubClosure.hub_id.in_(sorted(set(hub_ids))))
    found: dict[int, list[HubClosure]] = {}
    for row in await session.scalars(query):
        found.setdefault(row.hub_id, []).append(row)
    return found


async def replace_closures(
    session: AsyncSession,
    hub_id: int,
    existing: Sequence[HubClosure],
    wanted: Sequence[ClosureValues],
) -> tuple[int, int, int]:
    """Makes the hub's closures exactly `wanted`: (added, removed, kept)."""
    have = [(row.first_day, row.last_day, row.note) for row in existing]
    kept = [row for row, values in zip(existing, have, strict=True) if values in wanted]
    for row in existing:
        if row not in kept:
            await session.delete(row)
    added = [values for values in wanted if values not in have]
    session.add_all(
        HubClosure(hub_id=hub_id, first_day=first, last_day=last, note=note)
        for first, last, note in added
    )
    return len(added), len(existing) - len(kept), len(kept)


async def closure_on(session: AsyncSession, hub_id: int, day: date) -> HubClosure | None:
    """The hub's closure covering `day`, if any."""
    query = (
        select(HubClosure)
        .where(HubClosure.hub_id == hub_id, HubClosure.first_day <= day, HubClosure.last_day >= day)
        .order_by(HubClosure.first_day)
        .limit(1)
    )
    return await session.scalar(query)
