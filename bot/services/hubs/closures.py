"""Hub closures: days a hub stays closed whatever its opening hours say (holidays, works).

The catalog lists them per hub (`hubs[].closures`, both days included). A closed day is
never "open now", and the reopening after a closure skips closure days and, unless the
hub's opening hours say how it opens on public holidays (`PH`), Italian public holidays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.services.hubs import opening
from storage.types import Translations


@dataclass(frozen=True)
class Closure:
    first: date
    last: date
    note: Translations | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def closure_on(closures: Sequence[Closure], day: date) -> Closure | None:
    return next((closure for closure in closures if closure.covers(day)), None)


def closed_until(closures: Sequence[Closure], day: date) -> date:
    """The last day of the closures running on from `day` (back-to-back ones join up)."""
    last, current = day, day
    while (closure := closure_on(closures, current)) is not None:
        last = closure.last
        current = last + timedelta(days=1)
    return last


def skipped_days(
    closures: Sequence[Closure], expression: str, zone: ZoneInfo, closed_now: bool
) -> Callable[[date], bool]:
    """The days a reopening is never looked for on."""
    holidays_too = closed_now and "PH" not in expression

    def skip(day: date) -> bool:
        if closure_on(closures, day) is not None:
            return True
        return holidays_too and opening.is_public_holiday(zone, day)

    return skip
