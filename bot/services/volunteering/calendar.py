"""Calendar files (.ics) for shifts, so volunteers can put them in their own calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//Quartiere bot//Case di quartiere//IT"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    start: datetime
    end: datetime
    location: str | None = None
    description: str | None = None
    geo: tuple[float, float] | None = None  # latitude, longitude: calendars show a map


def ics(entries: Iterable[CalendarEntry], zone: ZoneInfo) -> bytes:
    """An iCalendar file with the times in the programme's zone (and its VTIMEZONE)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("summary", entry.title)
        event.add("dtstart", entry.start.astimezone(zone))
        event.add("dtend", entry.end.astimezone(zone))
        event.add("dtstamp", entry.start.astimezone(zone))
        if entry.location:
            event.add("location", entry.location)
        if entry.geo is not None:
            event.add("geo", entry.geo)
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
