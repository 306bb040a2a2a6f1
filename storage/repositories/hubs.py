"""Hubs and the services they offer, for the hub finder."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hub, HubService, Quartiere, Service


async def all_hubs(session: AsyncSession) -> list[Hub]:
    return list(await session.scalars(select(Hub).order_by(Hub.name)))


async def get_hub(session: AsyncSession, hub_id: int) -> Hub | None:
    return await session.get(Hub, hub_id)


async def hubs_offering(session: AsyncSession, service_id: int) -> list[Hub]:
    query = (
        select(Hub)
        .join(HubService, HubService.hub_id == Hub.id)
        .where(HubService.service_id == service_id)
        .order_by(Hub.name)
    )
    return list(await session.scalars(query))


async def hubs_in_quartiere(session: AsyncSession, name: str) -> list[Hub]:
    query = select(Hub).where(func.lower(Hub.quartiere) == name.lower()).order_by(Hub.name)
    return list(await session.scalars(query))


async def offered_services(session: AsyncSession) -> list[Service]:
    """Services that at least one hub offers."""
    query = (
        select(Service).where(Service.id.in_(select(HubService.service_id))).order_by(Service.code)
    )
    return list(await session.scalars(query))


async def get_service(session: AsyncSession, service_id: int) -> Service | None:
    return await session.get(Service, service_id)


async def quartiere_names(session: AsyncSession) -> list[tuple[int, str]]:
    """The catalog's quartieri that have hubs, else the hubs' own quartiere names."""
    rows = await session.execute(select(Quartiere.id, Quartiere.name).order_by(Quartiere.name))
    quartieri = [(row[0], row[1]) for row in rows]
    if quartieri:
        return quartieri
    names = await session.scalars(select(Hub.quartiere).distinct().order_by(Hub.quartiere))
    return [(0, name) for name in names]


async def get_quartiere(session: AsyncSession, quartiere_id: int) -> Quartiere | None:
    return await session.get(Quartiere, quartiere_id)
