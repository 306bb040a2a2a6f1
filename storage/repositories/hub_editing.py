"""Writes of the Mini App's hub form: each one a compare-and-set on the hub's version.

`UPDATE hubs SET ..., version = version + 1 WHERE id = :id AND version = :seen` is one
statement: of two saves over the same version, the database lets exactly one match the row
(PostgreSQL re-checks the WHERE after waiting for the other's row lock; SQLite writes one
transaction at a time), so the other changes no row and is refused as stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hub, HubClosure, HubService, Service
from storage.types import Translations


async def hubs_by_name(session: AsyncSession) -> list[Hub]:
    return list(await session.scalars(select(Hub).order_by(Hub.name, Hub.id)))


async def services_by_code(session: AsyncSession) -> list[Service]:
    return list(await session.scalars(select(Service).order_by(Service.code)))


async def claim_version(
    session: AsyncSession, hub_id: int, seen: int, values: Mapping[str, Any] | None = None
) -> bool:
    """Writes `values` and raises the version, only if the hub is still at `seen`."""
    query = (
        update(Hub)
        .where(Hub.id == hub_id, Hub.version == seen)
        .values(**(values or {}), version=Hub.version + 1)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(query)
    return bool(getattr(result, "rowcount", 0) == 1)


async def set_services(session: AsyncSession, hub_id: int, service_ids: Iterable[int]) -> None:
    await session.execute(delete(HubService).where(HubService.hub_id == hub_id))
    rows = [{"hub_id": hub_id, "service_id": service_id} for service_id in service_ids]
    if rows:
        await session.execute(insert(HubService), rows)


def add_closure(
    session: AsyncSession, hub_id: int, first: date, last: date, note: Translations | None
) -> HubClosure:
    row = HubClosure(hub_id=hub_id, first_day=first, last_day=last, note=note)
    session.add(row)
    return row


async def remove_closure(session: AsyncSession, hub_id: int, closure_id: int) -> HubClosure | None:
    """The closure removed, or None when the hub has no such closure."""
    row = await session.get(HubClosure, closure_id)
    if row is None or row.hub_id != hub_id:
        return None
    await session.delete(row)
    return row
