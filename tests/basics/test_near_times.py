"""Near times said as a person says them, in the programme's zone (Europe/Rome)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import near_span, near_when
from tests.support.fixtures import ROME

# Tuesday 1 December 2026, 20:38 in Rome (19:38 UTC).
NOW = datetime(2026, 12, 1, 20, 38, tzinfo=ROME)


def rome(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ROME)


@pytest.mark.parametrize(
    ("moment", "english", "italian"),
    [
        (rome(1, 22, 38), "today at 22:38, in 2 hours", "oggi alle 22:38, tra 2 ore"),
        (rome(1, 21, 0), "today at 21:00, in 22 minutes", "oggi alle 21:00, tra 22 minuti"),
        (rome(1, 18, 0), "today at 18:00", "oggi alle 18:00"),
        (rome(2, 9, 0), "tomorrow at 9:00", "domani alle 9:00"),
        (rome(2, 1, 15), "tomorrow at 1:15", "domani all'1:15"),
        (rome(30, 10, 0).replace(month=11), "yesterday at 10:00", "ieri alle 10:00"),
        (rome(6, 10, 0), "on Sunday 6 December at 10:00", "domenica 6 dicembre alle 10:00"),
    ],
)
def test_near_times_in_both_languages(moment: datetime, english: str, italian: str) -> None:
    assert near_when(moment, NOW, "en", ROME) == english
    assert near_when(moment, NOW, "it", ROME) == italian


def test_the_day_is_romes_not_utcs() -> None:
    # 23:30 UTC on 1 December is already 00:30 on the 2nd in Rome: tomorrow.
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert near_when(late, NOW, "en", ROME) == "tomorrow at 0:30"
    assert near_when(late, NOW.astimezone(UTC), "it", ROME) == "domani alle 0:30"


def test_a_span_of_today_or_tomorrow_says_until_when() -> None:
    assert near_span(rome(2, 9, 0), rome(2, 12, 0), NOW, "en", ROME) == (
        "tomorrow at 9:00, until 12:00"
    )
    assert near_span(rome(2, 23, 0), rome(2, 23, 59), NOW, "it", ROME) == (
        "domani alle 23:00, fino alle 23:59"
    )
    assert near_span(rome(1, 23, 0), rome(2, 1, 0), NOW, "it", ROME) is None  # ends tomorrow
    assert near_span(rome(2, 0, 30), rome(2, 1, 0), NOW, "it", ROME) == (
        "domani alle 0:30, fino all'1:00"
    )
    assert near_span(rome(6, 10, 0), rome(6, 12, 0), NOW, "en", ROME) is None  # days away
