"""Due times of reminders and nudges: local calendar days, quiet hours, daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.volunteering.reminder_times import (
    ReminderPolicy,
    defer_out_of_quiet_hours,
    moved_by,
    nudge_time,
    reminder_times,
)

ROME = ZoneInfo("Europe/Rome")
NIGHT = (time(21), time(8))
OFFSETS = (timedelta(hours=24), timedelta(hours=2))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)  # type: ignore[misc]


def due_times(start: datetime, now: datetime = LONG_AGO) -> list[datetime]:
    planned = reminder_times(start, OFFSETS, now=now, quiet=NIGHT, zone=ROME)
    return [reminder.due_at.astimezone(ROME).replace(fold=0) for reminder in planned]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (at(2026, 12, 4, 22, 15), at(2026, 12, 5, 8, 0)),  # evening: the next morning
        (at(2026, 12, 5, 7, 59), at(2026, 12, 5, 8, 0)),  # early morning: the same morning
        (at(2026, 12, 5, 8, 0), at(2026, 12, 5, 8, 0)),  # the window has ended
        (at(2026, 12, 5, 20, 59), at(2026, 12, 5, 20, 59)),  # not yet begun
        (at(2026, 12, 5, 21, 0), at(2026, 12, 6, 8, 0)),
    ],
)
def test_a_notice_due_in_the_quiet_hours_waits_for_their_end(
    due: datetime, expected: datetime
) -> None:
    assert defer_out_of_quiet_hours(due, NIGHT, ROME) == expected
    assert defer_out_of_quiet_hours(due, None, ROME) == due  # QUIET_HOURS empty


def test_a_quiet_window_within_one_day_works_too() -> None:
    lunch = (time(13), time(15))
    assert defer_out_of_quiet_hours(at(2026, 12, 5, 14, 0), lunch, ROME) == at(2026, 12, 5, 15)
    assert defer_out_of_quiet_hours(at(2026, 12, 5, 22, 0), lunch, ROME) == at(2026, 12, 5, 22)


def test_a_reminder_that_would_wait_past_the_start_is_sent_on_time() -> None:
    # 07:30 start: the 24 h one (07:30 the day before) waits until 08:00; the 2 h one
    # (05:30) would wait past the start, so it goes at 05:30.
    assert due_times(at(2026, 12, 5, 7, 30)) == [at(2026, 12, 4, 8, 0), at(2026, 12, 5, 5, 30)]
    # 09:00 start: the 2 h one (07:00) waits until 08:00, still an hour before.
    assert due_times(at(2026, 12, 5, 9, 0))[1] == at(2026, 12, 5, 8, 0)
    # 08:00 start: waiting would bring it at the start itself: on time instead.
    assert due_times(at(2026, 12, 5, 8, 0))[1] == at(2026, 12, 5, 6, 0)


def test_reminders_already_past_are_left_out() -> None:
    start = at(2026, 12, 7, 15, 0)
    assert due_times(start, now=at(2026, 12, 7, 12, 0)) == [at(2026, 12, 7, 13, 0)]
    assert due_times(start, now=at(2026, 12, 7, 14, 0)) == []
    assert due_times(start, now=at(2026, 12, 7, 16, 0)) == []


@pytest.mark.parametrize(
    ("start", "day_before_utc"),
    [
        (at(2027, 3, 28, 9, 0), datetime(2027, 3, 27, 8, 0, tzinfo=UTC)),  # 23 h before
        (at(2027, 3, 29, 9, 0), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
        (at(2027, 10, 31, 9, 0), datetime(2027, 10, 30, 7, 0, tzinfo=UTC)),  # 25 h before
        (at(2027, 11, 1, 9, 0), datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_day_before_is_the_same_local_time_across_daylight_saving(
    start: datetime, day_before_utc: datetime
) -> None:
    [day_before, _] = reminder_times(start, OFFSETS, now=LONG_AGO, quiet=NIGHT, zone=ROME)
    assert day_before.due_at == day_before_utc
    assert day_before.due_at.astimezone(ROME).hour == 9


def test_hours_are_elapsed_time_across_the_change_of_the_clock() -> None:
    # 03:30 on 28 March 2027 is 01:30 UTC; two hours earlier the clocks said 00:30.
    assert moved_by(at(2027, 3, 28, 3, 30), -timedelta(hours=2), ROME) == datetime(
        2027, 3, 27, 23, 30, tzinfo=UTC
    )
    # The quiet hours end at 08:00 local also on the morning of the change.
    assert defer_out_of_quiet_hours(at(2027, 3, 28, 5, 0), NIGHT, ROME) == datetime(
        2027, 3, 28, 6, 0, tzinfo=UTC
    )
    assert defer_out_of_quiet_hours(at(2027, 10, 31, 5, 0), NIGHT, ROME) == datetime(
        2027, 10, 31, 7, 0, tzinfo=UTC
    )


def test_the_nudge_comes_after_the_end_and_out_of_the_quiet_hours() -> None:
    hour = timedelta(hours=1)
    assert nudge_time(at(2026, 12, 7, 18, 0), hour, quiet=NIGHT, zone=ROME) == at(2026, 12, 7, 19)
    assert nudge_time(at(2026, 12, 4, 20, 30), hour, quiet=NIGHT, zone=ROME) == at(2026, 12, 5, 8)


def test_a_users_choice_picks_among_the_configured_offsets() -> None:
    policy = ReminderPolicy(offsets=OFFSETS)
    assert policy.wanted(None) == OFFSETS
    assert policy.wanted([]) == ()
    assert policy.wanted([7200, 3600]) == (timedelta(hours=2),)  # 1 h is not offered
