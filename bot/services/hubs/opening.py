"""Opening hours in OpenStreetMap syntax, evaluated in the programme's time zone.

`PH` follows Italian public holidays (country "IT"). A day's open spans are computed once
per expression and day and kept: every answer of the hub finder asks "open now?" and
"today's hours" of several hubs, and the library's evaluation is the costly part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State

COUNTRY = "IT"


@dataclass(frozen=True)
class Interval:
    start: time
    end: time  # time(0) when open until midnight


@dataclass(frozen=True)
class DayHours:
    day: date
    intervals: tuple[Interval, ...]

    @property
    def closed(self) -> bool:
        return not self.intervals

    @property
    def all_day(self) -> bool:
        return self.intervals == (Interval(time(0), time(0)),)


@lru_cache(maxsize=1024)
def _parsed(expression: str, zone_name: str) -> OpeningHours:
    return OpeningHours(expression, timezone=ZoneInfo(zone_name), country=COUNTRY)


@lru_cache(maxsize=4096)
def _open_spans(
    expression: str, zone_name: str, day: date
) -> tuple[tuple[datetime, datetime], ...]:
    """The open spans of one local day, as aware datetimes, the last one ending at midnight
    at the latest."""
    zone = ZoneInfo(zone_name)
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return tuple(
        (begin, min(finish, end))
        for begin, finish, state, _comment in _parsed(expression, zone_name).intervals(start, end)
        if state == State.OPEN
    )


def is_open(expression: str, zone: ZoneInfo, moment: datetime) -> bool:
    local = moment.astimezone(zone)
    return any(
        begin <= local < end for begin, end in _open_spans(expression, str(zone), local.date())
    )


@lru_cache(maxsize=4096)
def _day_hours(expression: str, zone_name: str, day: date) -> DayHours:
    zone = ZoneInfo(zone_name)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    intervals = []
    for begin, finish in _open_spans(expression, zone_name, day):
        close = finish.astimezone(zone).time() if finish < end else time(0)
        intervals.append(Interval(begin.astimezone(zone).time(), close))
    return DayHours(day, tuple(intervals))


def day_hours(expression: str, zone: ZoneInfo, day: date) -> DayHours:
    return _day_hours(expression, str(zone), day)


# A timetable that opens once a fortnight is shown as such; past that, no reopening is named.
REOPENING_HORIZON_DAYS = 15


# However long a closure, a reopening further away than this is not named.
_SKIPPED_DAYS_AT_MOST = 400


def next_opening(
    expression: str,
    zone: ZoneInfo,
    moment: datetime,
    skip: Callable[[date], bool] | None = None,
) -> datetime | None:
    """When a hub closed at `moment` opens next (local time), within a fortnight or so of
    open days; `skip` names days it stays closed whatever its hours say (closures)."""
    local = moment.astimezone(zone)
    looked = skipped = 0
    day = local.date() - timedelta(days=1)
    while looked < REOPENING_HORIZON_DAYS and skipped < _SKIPPED_DAYS_AT_MOST:
        day += timedelta(days=1)
        if skip is not None and skip(day):
            skipped += 1
            continue
        looked += 1
        for begin, _end in _open_spans(expression, str(zone), day):
            if begin > local:
                return begin.astimezone(zone)
    return None


def is_public_holiday(zone: ZoneInfo, day: date) -> bool:
    """Whether `day` is an Italian public holiday, as `PH` in opening hours counts them."""
    return not day_hours("PH", zone, day).closed
