"""The hub finder: nearest Case di quartiere, what they offer, and whether they are open
(their catalog closures included: see `bot.services.hubs.closures`).

Answers come from an in-memory snapshot of the hubs, their services and the quartieri (a few
dozen rows), so a location costs no database round trip. An import in this process drops
the snapshot at once (`forget_catalog`); one made by another process (`quartiere-bot
import`) shows within `SNAPSHOT_TTL`.
"""

from __future__ import annotations

import math
import time
import weakref
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.hubs import closures as closing
from bot.services.hubs import opening
from bot.services.hubs.closures import Closure
from storage.repositories import closures as closures_repo
from storage.repositories import hubs as repo
from storage.types import Translations

EARTH_RADIUS_M = 6_371_008.8
# Beyond this a hub is not "near": the answer says so instead of listing far-away places.
NEAR_LIMIT_M = 30_000
# How long a snapshot is trusted before the tables are read again (seconds, monotonic).
SNAPSHOT_TTL = 5.0


@dataclass(frozen=True)
class _HubFacts:
    """What the catalog says of a hub, as shown to a user."""

    id: int
    name: str
    address: str
    quartiere: str
    lat: float
    lon: float
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class HubCard(_HubFacts):
    services: tuple[Translations, ...]
    distance_m: float | None
    open_now: bool
    today: opening.DayHours
    # When closed: when it opens next, and the moment that was seen from (both local time).
    reopens_at: datetime | None = None
    as_of: datetime | None = None
    # When a closure of the catalog keeps it closed today: its last day (back-to-back
    # closures joined) and the note of today's closure.
    closed_until: date | None = None
    closure_note: Translations | None = None


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


@dataclass(frozen=True)
class QuartiereHubs:
    name: str
    hubs: tuple[HubCard, ...]
    # True when the quartiere has no hub of its own and these are the nearest to its centre.
    nearest_instead: bool


@dataclass(frozen=True)
class _Hub(_HubFacts):
    opening_hours: str
    service_ids: frozenset[int]
    services: tuple[Translations, ...]
    closures: tuple[Closure, ...] = ()


@dataclass(frozen=True, slots=True)
class _Quartiere:
    id: int
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class _Snapshot:
    hubs: tuple[_Hub, ...]  # by name
    by_id: dict[int, _Hub]
    services: dict[int, Translations]  # every service, by code
    offered: tuple[int, ...]  # the services some hub offers, by code
    quartieri: dict[int, _Quartiere]
    quartiere_names: tuple[tuple[int, str], ...]  # by name; id 0 for the hubs' own names
    loaded_at: float


# cache: one snapshot per database engine (tests may hold several), dropped after a TTL
_snapshots: weakref.WeakKeyDictionary[Any, _Snapshot] = weakref.WeakKeyDictionary()


def forget_catalog() -> None:
    """The catalog changed: the next answer reads the tables again."""
    _snapshots.clear()


async def _snapshot(session: AsyncSession) -> _Snapshot:
    engine = session.bind
    found = _snapshots.get(engine)
    if found is not None and time.monotonic() - found.loaded_at < SNAPSHOT_TTL:
        return found
    loaded = await _load(session)
    _snapshots[engine] = loaded
    return loaded


async def _load(session: AsyncSession) -> _Snapshot:
    started = time.monotonic()
    services = {row.id: row.name for row in await repo.service_rows(session)}
    offered_by: dict[int, list[int]] = {}
    for hub_id, service_id in await repo.hub_service_pairs(session):
        offered_by.setdefault(hub_id, []).append(service_id)
    closed = await closures_repo.closures_by_hub(session)
    hubs = []
    for row in await repo.hub_rows(session):
        ids = sorted(offered_by.get(row.id, ()))
        hubs.append(
            _Hub(
                row.id,
                row.name,
                row.address,
                row.quartiere,
                row.lat,
                row.lon,
                row.phone,
                row.email,
                row.opening_hours,
                frozenset(ids),
                tuple(services[service_id] for service_id in ids),
                tuple(Closure(c.first_day, c.last_day, c.note) for c in closed.get(row.id, ())),
            )
        )
    on_offer = {service_id for ids in offered_by.values() for service_id in ids}
    quartieri = [_Quartiere(*row) for row in await repo.quartiere_rows(session)]
    names = [(q.id, q.name) for q in quartieri]
    if not names:
        names = [(0, name) for name in await repo.hub_quartiere_names(session)]
    return _Snapshot(
        hubs=tuple(hubs),
        by_id={hub.id: hub for hub in hubs},
        services=services,
        offered=tuple(service_id for service_id in services if service_id in on_offer),
        quartieri={q.id: q for q in quartieri},
        quartiere_names=tuple(names),
        loaded_at=started,
    )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _card(hub: _Hub, zone: ZoneInfo, now: datetime, distance: float | None) -> HubCard:
    local_day = now.astimezone(zone).date()
    closure = closing.closure_on(hub.closures, local_day)
    open_now = closure is None and opening.is_open(hub.opening_hours, zone, now)
    reopens_at = None
    if not open_now:
        skip = closing.skipped_days(hub.closures, hub.opening_hours, zone, closure is not None)
        reopens_at = opening.next_opening(hub.opening_hours, zone, now, skip)
    return HubCard(
        id=hub.id,
        name=hub.name,
        address=hub.address,
        quartiere=hub.quartiere,
        lat=hub.lat,
        lon=hub.lon,
        phone=hub.phone,
        email=hub.email,
        services=hub.services,
        distance_m=distance,
        open_now=open_now,
        today=_day_hours(hub, zone, local_day),
        reopens_at=reopens_at,
        as_of=now.astimezone(zone),
        closed_until=None if closure is None else closing.closed_until(hub.closures, local_day),
        closure_note=None if closure is None else closure.note,
    )


def _day_hours(hub: _Hub, zone: ZoneInfo, day: date) -> opening.DayHours:
    """A day's hours; none on a closure day."""
    if closing.closure_on(hub.closures, day) is not None:
        return opening.DayHours(day, ())
    return opening.day_hours(hub.opening_hours, zone, day)


def _ordered(
    hubs: list[_Hub], zone: ZoneInfo, now: datetime, origin: tuple[float, float] | None
) -> list[HubCard]:
    if origin is None:
        cards = [_card(hub, zone, now, None) for hub in hubs]
        return sorted(cards, key=lambda card: card.name.casefold())
    return [_card(hub, zone, now, distance) for distance, hub in _by_distance(hubs, *origin)]


def _by_distance(hubs: list[_Hub] | tuple[_Hub, ...], lat: float, lon: float) -> list[Any]:
    """(distance, hub), closest first, ties by name."""
    measured = [(haversine_m(lat, lon, hub.lat, hub.lon), hub) for hub in hubs]
    return sorted(measured, key=lambda pair: (pair[0], pair[1].name))


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
    snapshot = await _snapshot(session)
    # Opening hours are evaluated only for the hubs that will be shown.
    closest = _by_distance(snapshot.hubs, lat, lon)[:limit]
    cards = [_card(hub, zone, now, distance) for distance, hub in closest]
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
    snapshot = await _snapshot(session)
    offering = [hub for hub in snapshot.hubs if service_id in hub.service_ids]
    return _ordered(offering, zone, now, origin)


async def service_choices(session: AsyncSession) -> list[Choice]:
    snapshot = await _snapshot(session)
    return [Choice(service_id, snapshot.services[service_id]) for service_id in snapshot.offered]


async def service_name(session: AsyncSession, service_id: int) -> Translations | None:
    return (await _snapshot(session)).services.get(service_id)


def _name_key(name: str) -> int:
    """A short, stable key for a quartiere known only by the hubs' own quartiere names."""
    return -(zlib.crc32(name.casefold().encode()) or 1)


async def quartiere_choices(session: AsyncSession) -> list[Choice]:
    snapshot = await _snapshot(session)
    return [
        Choice(quartiere_id or _name_key(name), {"*": name})
        for quartiere_id, name in snapshot.quartiere_names
    ]


async def hubs_for_quartiere(
    session: AsyncSession, key: int, *, zone: ZoneInfo, now: datetime, limit: int = 5
) -> QuartiereHubs | None:
    snapshot = await _snapshot(session)
    for choice in await quartiere_choices(session):
        if choice.key == key:
            name = choice.name["*"]
            break
    else:
        return None
    wanted = name.lower()
    hubs = [hub for hub in snapshot.hubs if hub.quartiere.lower() == wanted]
    if hubs or key < 0:
        return QuartiereHubs(name, tuple(_ordered(hubs, zone, now, None)), nearest_instead=False)
    quartiere = snapshot.quartieri[key]
    nearest = await nearest_hubs(
        session, quartiere.lat, quartiere.lon, zone=zone, now=now, limit=limit
    )
    return QuartiereHubs(name, nearest.hubs, nearest_instead=True)


async def quartiere_centre(session: AsyncSession, name: str) -> tuple[float, float] | None:
    """Where a quartiere of the catalog lies, by its name; None for one the catalog lacks."""
    wanted = name.casefold()
    for quartiere in (await _snapshot(session)).quartieri.values():
        if quartiere.name.casefold() == wanted:
            return quartiere.lat, quartiere.lon
    return None


async def hub_details(
    session: AsyncSession, hub_id: int, *, zone: ZoneInfo, now: datetime
) -> HubDetails | None:
    hub = (await _snapshot(session)).by_id.get(hub_id)
    if hub is None:
        return None
    card = _card(hub, zone, now, None)
    first = now.astimezone(zone).date()
    week = [_day_hours(hub, zone, first + timedelta(days=n)) for n in range(7)]
    return HubDetails(card, tuple(week))
