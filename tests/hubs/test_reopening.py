"""When a closed hub opens again, read from its OpenStreetMap timetable in Rome's time."""

from __future__ import annotations

from datetime import datetime

from bot.services.hubs.opening import next_opening
from tests.support.fixtures import ROME

WEEKDAYS = "Mo-Fr 09:00-12:30,15:00-19:00; PH off"


def rome(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ROME)


def test_closed_at_lunch_it_opens_again_in_the_afternoon() -> None:
    assert next_opening(WEEKDAYS, ROME, rome(12, 2, 13, 0)) == rome(12, 2, 15, 0)


def test_closed_on_friday_evening_it_opens_on_monday_morning() -> None:
    assert next_opening(WEEKDAYS, ROME, rome(12, 4, 20, 0)) == rome(12, 7, 9, 0)


def test_a_public_holiday_is_skipped() -> None:
    # Tuesday 8 December is the Immacolata: the next opening is Wednesday.
    assert next_opening(WEEKDAYS, ROME, rome(12, 7, 20, 0)) == rome(12, 9, 9, 0)


def test_a_timetable_that_never_opens_names_no_reopening() -> None:
    assert next_opening("off", ROME, rome(12, 2, 10, 0)) is None
