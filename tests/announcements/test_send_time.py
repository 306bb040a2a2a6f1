"""When an announcement goes out, as an admin writes it, and the quick choices offered."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.services.announcements.send_time import (
    Problem,
    SendTimeError,
    parse_send_time,
    quick_times,
)
from tests.support.fixtures import ROME

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ROME)  # a Wednesday morning


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("domani alle 18", "2026-12-03 18:00"),
        ("Domani alle ore 18", "2026-12-03 18:00"),
        ("oggi alle 18:30", "2026-12-02 18:30"),
        ("stasera alle 9", "2026-12-02 21:00"),
        ("alle 18", "2026-12-02 18:00"),
        ("lunedì alle 9", "2026-12-07 09:00"),
        ("Lunedì, alle 9", "2026-12-07 09:00"),
        ("lunedi prossimo alle 9", "2026-12-07 09:00"),
        ("mercoledì alle 11", "2026-12-02 11:00"),  # today, still ahead
        ("mercoledì alle 9", "2026-12-09 09:00"),  # today's is past: next week's
        ("dopodomani alle 8.15", "2026-12-04 08:15"),
        ("15 dicembre alle 10", "2026-12-15 10:00"),
        ("il 15 dicembre alle 10", "2026-12-15 10:00"),
        ("martedì 15 dicembre alle 10", "2026-12-15 10:00"),
        ("15 gennaio alle 10", "2027-01-15 10:00"),  # January is over: next year's
        ("15 gennaio 2027 alle 10", "2027-01-15 10:00"),
        ("tomorrow at 6pm", "2026-12-03 18:00"),
        ("tomorrow 18:00", "2026-12-03 18:00"),
        ("at 6:30 pm tomorrow", "2026-12-03 18:30"),
        ("12pm tomorrow", "2026-12-03 12:00"),
        ("next Monday at 9am", "2026-12-07 09:00"),
        ("December 15 at 10:00", "2026-12-15 10:00"),
        ("on 15 December at 10", "2026-12-15 10:00"),
        ("the day after tomorrow at 8", "2026-12-04 08:00"),
        # The forms read before.
        ("05/12 18:30", "2026-12-05 18:30"),
        ("05/12/2026 18.30", "2026-12-05 18:30"),
        ("18:30", "2026-12-02 18:30"),
        ("2026-12-05 18:30", "2026-12-05 18:30"),
        ("2026-12-05T18:30", "2026-12-05 18:30"),
        ("2026-12-05T17:30Z", "2026-12-05 18:30"),
    ],
)
def test_every_accepted_form_gives_its_moment_in_rome(text: str, local: str) -> None:
    moment = parse_send_time(text, NOW, ROME)
    assert moment.tzinfo is not None
    assert moment.astimezone(ROME).strftime("%Y-%m-%d %H:%M") == local


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("oggi alle 9", Problem.PAST),
        ("01/12 18:30", Problem.PAST),
        ("2020-01-01T10:00", Problem.PAST),
        ("ieri alle 18", Problem.PAST),
        ("domani", Problem.UNREADABLE),
        ("tomorrow", Problem.UNREADABLE),
        ("18", Problem.UNREADABLE),
        ("presto", Problem.UNREADABLE),
        ("13pm tomorrow", Problem.UNREADABLE),
        ("31/11 10:00", Problem.NO_SUCH_DATE),
        ("30 febbraio alle 10", Problem.NO_SUCH_DATE),
        ("domani alle 25", Problem.NO_SUCH_TIME),
        ("domani alle 18:75", Problem.NO_SUCH_TIME),
        ("28 marzo 2027 alle 2:30", Problem.NO_SUCH_TIME),  # the clocks skip it
    ],
)
def test_every_refusal_says_why(text: str, problem: Problem) -> None:
    with pytest.raises(SendTimeError) as refused:
        parse_send_time(text, NOW, ROME)
    assert refused.value.problem is problem


def test_an_unreadable_time_names_the_form_for_the_command_line() -> None:
    with pytest.raises(SendTimeError, match="expected a time like 2026-12-01T09:00"):
        parse_send_time("tomorrow", NOW, ROME)


EVENING = ("this_evening", "12-02 18:00")
MORNING, TOMORROW_EVENING = ("tomorrow_morning", "12-03 09:00"), ("tomorrow_evening", "12-03 18:00")


@pytest.mark.parametrize(
    ("local_now", "offered"),
    [
        ("10:30", [EVENING, MORNING, TOMORROW_EVENING]),
        ("17:40", [EVENING, MORNING, TOMORROW_EVENING]),
        ("17:50", [MORNING, TOMORROW_EVENING]),  # too close to be worth a button
        ("23:50", [MORNING, TOMORROW_EVENING]),
    ],
)
def test_quick_times_are_only_those_still_ahead(
    local_now: str, offered: list[tuple[str, str]]
) -> None:
    hour, minute = map(int, local_now.split(":"))
    chosen = quick_times(NOW.replace(hour=hour, minute=minute), ROME)
    got = [(q.quick.value, q.moment.astimezone(ROME).strftime("%m-%d %H:%M")) for q in chosen]
    assert got == offered
