"""Opening hours in OpenStreetMap syntax, evaluated in the programme's time zone.

`PH` follows Italian public holidays (country "IT").
"""

from __future__ import annotations

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


def is_open(expression: str, zone: ZoneInfo, moment: datetime) -> bool:
    return bool(_parsed(expression, str(zone)).is_open(moment.astimezone(zone)))


def day_hours(expression: str, zone: ZoneInfo, day: date) -> DayHours:
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    intervals = []
    for begin, finish, state, _comment in _parsed(expression, str(zone)).intervals(start, end):
        if state == State.OPEN:
            close = finish.astimezone(zone).time() if finish < end else time(0)
            intervals.append(Interval(begin.astimezone(zone).time(), close))
    return DayHours(day, tuple(intervals))


def week_hours(expression: str, zone: ZoneInfo, first_day: date) -> list[DayHours]:
    return [day_hours(expression, zone, first_day + timedelta(days=n)) for n in range(7)]
