"""Hubs, the services they offer and the quartieri, read whole for the hub finder's snapshot.

The hub finder answers from an in-memory copy of these few small tables (see
bot/services/hubs/finder.py), so they are read as plain rows, in the order the lists are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hub, HubService, Quartiere, Service


async def hub_rows(session: AsyncSession) -> Sequence[Any]:
    """Every hub, by name."""
    query = select(
        Hub.id,
        Hub.name,
        Hub.address,
        Hub.quartiere,
        Hub.lat,
        Hub.lon,
        Hub.phone,
        Hub.email,
        Hub.opening_hours,
    ).order_by(Hub.name)
    return (await session.execute(query)).all()


async def hub_service_pairs(session: AsyncSession) -> list[tuple[int, int]]:
    """(hub id, service id) for every service a hub offers."""
    rows = await session.execute(select(HubService.hub_id, HubService.service_id))
    return [(row[0], row[1]) for row in rows]


async def service_rows(session: AsyncSession) -> Sequence[Any]:
    """Every service (id, name), by code."""
    return (await session.execute(select(Service.id, Service.name).order_by(Service.code))).all()


async def quartiere_rows(session: AsyncSession) -> Sequence[Any]:
    """The catalog's quartieri (id, name, lat, lon), by name."""
    query = select(Quartiere.id, Quartiere.name, Quartiere.lat, Quartiere.lon)
    return (await session.execute(query.order_by(Quartiere.name))).all()


async def hub_quartiere_names(session: AsyncSession) -> list[str]:
    """The hubs' own quartiere names, for a catalog without quartieri."""
    return list(await session.scalars(select(Hub.quartiere).distinct().order_by(Hub.quartiere)))


async def hub_by_id(session: AsyncSession, hub_id: int) -> Hub | None:
    return await session.get(Hub, hub_id)
