"""The hub finder: nearest Case di quartiere, what they offer, and whether they are open."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import opening
from storage.models import Hub
from storage.repositories import hubs as repo
from storage.types import Translations

EARTH_RADIUS_M = 6_371_008.8
# Beyond this a hub is not "near": the answer says so instead of listing far-away places.
NEAR_LIMIT_M = 30_000


@dataclass(frozen=True)
class HubCard:
    id: int
    name: str
    address: str
    quartiere: str
    lat: float
    lon: float
    phone: str | None
    email: str | None
    services: tuple[Translations, ...]
    distance_m: float | None
    open_now: bool
    today: opening.DayHours


@dataclass(frozen=True)
class HubDetails:
    card: HubCard
    week: tuple[opening.DayHours, ...]


@dataclass(frozen=True)
class Choice:
    key: int
    name: Translations


@dataclass(frozen=True)
class NearestHubs:
    hubs: tuple[HubCard, ...]
    nearest_distance_m: float | None  # set when every hub is far away

    @property
    def far_away(self) -> bool:
        return self.nearest_distance_m is not None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _card(hub: Hub, zone: ZoneInfo, now: datetime, origin: tuple[float, float] | None) -> HubCard:
    distance = haversine_m(origin[0], origin[1], hub.lat, hub.lon) if origin else None
    return HubCard(
        id=hub.id,
        name=hub.name,
        address=hub.address,
        quartiere=hub.quartiere,
        lat=hub.lat,
        lon=hub.lon,
        phone=hub.phone,
        email=hub.email,
        services=tuple(service.name for service in hub.services),
        distance_m=distance,
        open_now=opening.is_open(hub.opening_hours, zone, now),
        today=opening.day_hours(hub.opening_hours, zone, now.astimezone(zone).date()),
    )


def _ordered(
    hubs: list[Hub], zone: ZoneInfo, now: datetime, origin: tuple[float, float] | None
) -> list[HubCard]:
    cards = [_card(hub, zone, now, origin) for hub in hubs]
    if origin is None:
        return sorted(cards, key=lambda card: card.name.casefold())
    return sorted(cards, key=lambda card: (card.distance_m, card.name))


async def nearest_hubs(
    session: AsyncSession,
    lat: float,
    lon: float,
    *,
    zone: ZoneInfo,
    now: datetime,
    limit: int = 5,
) -> NearestHubs:
    """Closest first; when even the closest is far, still the closest, flagged as far."""
    hubs = sorted(
        await repo.all_hubs(session),
        key=lambda hub: (haversine_m(lat, lon, hub.lat, hub.lon), hub.name),
    )
    # Opening hours are evaluated only for the hubs that will be shown.
    cards = [_card(hub, zone, now, (lat, lon)) for hub in hubs[:limit]]
    far = cards and cards[0].distance_m is not None and cards[0].distance_m > NEAR_LIMIT_M
    return NearestHubs(tuple(cards), cards[0].distance_m if far else None)


async def hubs_offering(
    session: AsyncSession,
    service_id: int,
    *,
    zone: ZoneInfo,
    now: datetime,
    origin: tuple[float, float] | None = None,
) -> list[HubCard]:
    """Nearest first when a location is known, alphabetical otherwise."""
    return _ordered(await repo.hubs_offering(session, service_id), zone, now, origin)


async def service_choices(session: AsyncSession) -> list[Choice]:
    return [Choice(service.id, service.name) for service in await repo.offered_services(session)]


async def service_name(session: AsyncSession, service_id: int) -> Translations | None:
    service = await repo.get_service(session, service_id)
    return service.name if service else None


def _name_key(name: str) -> int:
    """A short, stable key for a quartiere known only by the hubs' own quartiere names."""
    return -(zlib.crc32(name.casefold().encode()) or 1)


async def quartiere_choices(session: AsyncSession) -> list[Choice]:
    choices = []
    for quartiere_id, name in await repo.quartiere_names(session):
        key = quartiere_id or _name_key(name)
        choices.append(Choice(key, {"*": name}))
    return choices


@dataclass(frozen=True)
class QuartiereHubs:
    name: str
    hubs: tuple[HubCard, ...]
    # True when the quartiere has no hub of its own and these are the nearest to its centre.
    nearest_instead: bool


async def hubs_for_quartiere(
    session: AsyncSession, key: int, *, zone: ZoneInfo, now: datetime, limit: int = 5
) -> QuartiereHubs | None:
    for choice in await quartiere_choices(session):
        if choice.key == key:
            name = choice.name["*"]
            break
    else:
        return None
    hubs = await repo.hubs_in_quartiere(session, name)
    if hubs or key < 0:
        return QuartiereHubs(name, tuple(_ordered(hubs, zone, now, None)), nearest_instead=False)
    quartiere = await repo.get_quartiere(session, key)
    assert quartiere is not None
    nearest = await nearest_hubs(
        session, quartiere.lat, quartiere.lon, zone=zone, now=now, limit=limit
    )
    return QuartiereHubs(name, nearest.hubs, nearest_instead=True)


async def hub_details(
    session: AsyncSession, hub_id: int, *, zone: ZoneInfo, now: datetime
) -> HubDetails | None:
    hub = await repo.get_hub(session, hub_id)
    if hub is None:
        return None
    card = _card(hub, zone, now, None)
    week = opening.week_hours(hub.opening_hours, zone, now.astimezone(zone).date())
    return HubDetails(card, tuple(week))
