"""Catalog times: every written form, time zones, and the daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.catalog.texts import BASE, error_at, line_with, parse, replace_once

NINE_IN_ROME_IN_DECEMBER = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def shift_start(written: str) -> datetime:
    text = replace_once(BASE, "start: 2026-12-01T09:00", f"start: {written}")
    return parse(text).projects[0].shifts[0].start


@pytest.mark.parametrize(
    "written",
    [
        "2026-12-01T09:00",  # YAML reads it as text
        "2026-12-01T09:00:00",  # YAML reads it as a date and time
        "'2026-12-01T09:00'",
        '"2026-12-01T09:00:00"',
        "2026-12-01 09:00",
        "2026-12-01T09:00:00+01:00",  # YAML reads it as an aware datetime
        "2026-12-01T09:00+01:00",
        "'2026-12-01T10:00+02:00'",
        "2026-12-01T08:00:00Z",
        "2026-12-01T03:00-05:00",
    ],
)
def test_every_written_form_of_a_time_means_the_same_instant(written: str) -> None:
    assert shift_start(written) == NINE_IN_ROME_IN_DECEMBER


def test_seconds_are_kept() -> None:
    assert shift_start("2026-12-01T09:00:30") == datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC)


def test_summer_local_times_use_summer_time() -> None:
    text = replace_once(BASE, "start: 2026-12-01T09:00", "start: 2026-07-01T09:00")
    text = replace_once(text, "end: 2026-12-01T12:00", "end: 2026-07-01T12:00")

    assert parse(text).projects[0].shifts[0].start == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


def test_a_local_time_in_the_spring_gap_is_refused_at_its_line() -> None:
    # On 29 March 2026 Rome's clocks jump from 02:00 to 03:00.
    text = replace_once(BASE, "start: 2026-12-06T10:00", "start: 2026-03-29T02:30")
    text = replace_once(text, "end: 2026-12-06T12:00", "end: 2026-03-29T04:00")

    message = error_at(text, line_with(text, "2026-03-29T02:30"))

    assert "does not exist in Europe/Rome" in message


def test_a_time_in_the_spring_gap_is_fine_with_an_offset() -> None:
    text = replace_once(BASE, "start: 2026-12-06T10:00", "start: 2026-03-29T02:30+01:00")
    text = replace_once(text, "end: 2026-12-06T12:00", "end: 2026-03-29T04:00")

    assert parse(text).events[0].start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_an_ambiguous_autumn_time_is_the_first_of_the_two() -> None:
    # On 25 October 2026 Rome's clocks go back from 03:00 to 02:00: 02:30 happens twice.
    text = replace_once(BASE, "start: 2026-12-06T10:00", "start: 2026-10-25T02:30")
    text = replace_once(text, "end: 2026-12-06T12:00", "end: 2026-10-25T05:00")

    start = parse(text).events[0].start

    assert start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time


@pytest.mark.parametrize(
    "written", ["2026-12-01", "tomorrow", "2026-02-30T09:00", "2026-12-01T25:00", "09:00", "[1]"]
)
def test_something_that_is_not_a_time_is_refused_at_its_line(written: str) -> None:
    text = replace_once(BASE, "start: 2026-12-01T09:00", f"start: {written}")

    message = error_at(text, line_with(text, f"start: {written}"))

    assert message.startswith("start")
