"""An event as the other event modules pass it around: plain data, with the user's RSVP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import Event, Greenway
from storage.types import Translations


@dataclass(frozen=True)
class EventInfo:
    id: int
    greenway_id: int
    greenway_name: Translations
    title: Translations
    description: Translations
    start_at: datetime
    end_at: datetime
    place: Translations | None
    lat: float | None
    lon: float | None
    cancelled: bool
    going: bool

    @property
    def has_pin(self) -> bool:
        return self.lat is not None and self.lon is not None


def event_info(event: Event, greenway: Greenway, going: bool) -> EventInfo:
    return EventInfo(
        id=event.id,
        greenway_id=greenway.id,
        greenway_name=greenway.name,
        title=event.title,
        description=event.description,
        start_at=event.start_at,
        end_at=event.end_at,
        place=event.place,
        lat=event.lat,
        lon=event.lon,
        cancelled=event.cancelled,
        going=going,
    )
