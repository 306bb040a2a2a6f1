"""English is written in one style, the British one: 24-hour times and "1 December 2026"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.i18n import format_local_date, format_local_time
from bot.services.hubs.opening import DayHours, Interval
from handlers.hubs.views import opening_text

ROME = ZoneInfo("Europe/Rome")
EVENING = datetime(2026, 12, 1, 21, 38, tzinfo=UTC)  # 22:38 in Rome


def test_english_times_are_on_the_24_hour_clock() -> None:
    assert format_local_time(EVENING, "en", ROME) == "22:38"


def test_english_dates_put_the_day_before_the_month() -> None:
    assert format_local_date(EVENING, "en", ROME, "long") == "1 December 2026"
    assert "1 December 2026" in format_local_date(EVENING, "en", ROME)


def test_a_hubs_opening_hours_read_the_same_in_english_and_italian() -> None:
    afternoon = DayHours(date(2026, 12, 1), (Interval(time(14, 30), time(18, 0)),))
    assert opening_text(afternoon, "en") == opening_text(afternoon, "it") == "14:30–18:00"
