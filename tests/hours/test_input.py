"""Reading durations, dates and project codes as volunteers type them after /hours."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.hours.input import (
    InputError,
    Problem,
    QuickReport,
    match_projects,
    name_words,
    parse_date,
    parse_quick,
    read_date,
    read_duration,
)

TUESDAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2", 120),
        ("2.5", 150),
        ("2,5", 150),
        ("2h", 120),
        ("2H", 120),
        ("2h30", 150),
        ("2h30m", 150),
        ("2h05", 125),
        ("90m", 90),
        ("90min", 90),
        ("1:30", 90),
        ("0:45", 45),
        ("12", 720),
        ("1.33", 80),
        ("2.5h", 150),
    ],
)
def test_every_accepted_duration_form_gives_its_minutes(text: str, minutes: int) -> None:
    assert read_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0", Problem.NOT_POSITIVE),
        ("0h", Problem.NOT_POSITIVE),
        ("0:00", Problem.NOT_POSITIVE),
        ("-3", Problem.NOT_POSITIVE),
        ("-2h30", Problem.NOT_POSITIVE),
        ("30h", Problem.OVER_REPORT_LIMIT),
        ("12h01", Problem.OVER_REPORT_LIMIT),
        ("721m", Problem.OVER_REPORT_LIMIT),
        ("abc", Problem.NOT_A_DURATION),
        ("-abc", Problem.NOT_A_DURATION),
        ("2h75", Problem.NOT_A_DURATION),
        ("1:75", Problem.NOT_A_DURATION),
        ("2..5", Problem.NOT_A_DURATION),
        ("", Problem.NOT_A_DURATION),
    ],
)
def test_each_bad_duration_has_its_own_reason(text: str, problem: Problem) -> None:
    with pytest.raises(InputError) as caught:
        read_duration(text)
    assert caught.value.problem is problem


def test_twelve_hours_is_the_most_one_report_may_hold() -> None:
    assert read_duration("12h") == 720
    with pytest.raises(InputError):
        read_duration("12h01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TUESDAY),
        ("oggi", TUESDAY),
        ("Oggi", TUESDAY),
        ("yesterday", date(2026, 12, 7)),
        ("ieri", date(2026, 12, 7)),
        ("2026-12-05", date(2026, 12, 5)),
        ("05/12", date(2026, 12, 5)),
        ("5/12", date(2026, 12, 5)),
        ("08/12", TUESDAY),
        ("09/12", date(2025, 12, 9)),  # tomorrow's day and month: last year's
        ("05/12/2026", date(2026, 12, 5)),
    ],
)
def test_every_accepted_date_form(text: str, expected: date) -> None:
    assert parse_date(text, TUESDAY) == expected


def test_day_and_month_early_in_january_mean_last_december() -> None:
    assert parse_date("30/12", date(2027, 1, 3)) == date(2026, 12, 30)
    assert parse_date("03/01", date(2027, 1, 3)) == date(2027, 1, 3)


def test_the_29th_of_february_is_the_latest_one_that_has_been() -> None:
    assert parse_date("29/02", date(2027, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31/02", Problem.NO_SUCH_DATE),
        ("32/12", Problem.NO_SUCH_DATE),
        ("2026-13-01", Problem.NO_SUCH_DATE),
        ("next week", Problem.NOT_A_DATE),
        ("1/2/3/4", Problem.NOT_A_DATE),
    ],
)
def test_each_bad_date_has_its_own_reason(text: str, problem: Problem) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, TUESDAY)
    assert caught.value.problem is problem


def test_a_date_in_the_future_or_too_long_ago_is_refused() -> None:
    with pytest.raises(InputError) as future:
        read_date("2026-12-09", TUESDAY, 60)
    assert future.value.problem is Problem.FUTURE_DATE
    assert read_date("2026-10-09", TUESDAY, 60) == date(2026, 10, 9)  # 60 days back
    with pytest.raises(InputError) as old:
        read_date("2026-10-08", TUESDAY, 60)
    assert old.value.problem is Problem.TOO_OLD


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("2", QuickReport(120, None)),
        ("2h30 ieri", QuickReport(150, date(2026, 12, 7))),
        ("2h30 ieri orti", QuickReport(150, date(2026, 12, 7), ("orti",))),
        ("1:30 orti 05/12", QuickReport(90, date(2026, 12, 5), ("orti",))),
        ("90m spid-help", QuickReport(90, None, ("spid-help",))),
        ("2 ORTI", QuickReport(120, None, ("orti",))),
        ("2 ore oggi", QuickReport(120, date(2026, 12, 8))),
        ("1 ora ieri", QuickReport(60, date(2026, 12, 7))),
        ("3 hours yesterday gardens", QuickReport(180, date(2026, 12, 7), ("gardens",))),
        ("2 h orti", QuickReport(120, None, ("orti",))),
        ("30 minuti", QuickReport(30, None)),
        ("45 min ieri", QuickReport(45, date(2026, 12, 7))),
        ("2 Città Sicura", QuickReport(120, None, ("citta", "sicura"))),
        ("2 orti di montenero", QuickReport(120, None, ("orti", "montenero"))),
        ("2 the Reading Club", QuickReport(120, None, ("reading", "club"))),
        ("2 orti!", QuickReport(120, None, ("orti",))),
    ],
)
def test_the_quick_form_reads_duration_date_and_project_words(
    arguments: str, expected: QuickReport
) -> None:
    assert parse_quick(arguments, TUESDAY, 60) == expected


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ("orti 2", Problem.NOT_A_DURATION),
        ("2 ieri oggi", Problem.TWO_DATES),
        ("2 ore ieri orti condivisi montenero e altro ancora", Problem.TOO_MANY_WORDS),
        ("2 2026-12-09", Problem.FUTURE_DATE),
        ("2 domani orti", Problem.FUTURE_DATE),
        ("2 31/02", Problem.NO_SUCH_DATE),
        ("800 minuti", Problem.OVER_REPORT_LIMIT),
    ],
)
def test_the_quick_form_refuses_what_it_cannot_read(arguments: str, problem: Problem) -> None:
    with pytest.raises(InputError) as caught:
        parse_quick(arguments, TUESDAY, 60)
    assert caught.value.problem is problem


CATALOG = {
    1: ("orti", "Orti condivisi Montenero"),
    2: ("spid-help", "Aiuto SPID al Punto Comune"),
    3: ("lettura", "Gruppo di lettura della biblioteca"),
    4: ("nord", "Orti del quartiere nord"),
}


@pytest.mark.parametrize(
    ("words", "matched"),
    [
        (("orti",), [1]),  # a project's code wins over a word other titles share
        (("quartiere",), [4]),
        (("condivisi", "orti"), [1]),
        (("del", "orti"), [1]),
        (("orti", "montenero"), [1]),
        (("montenero",), [1]),
        (("gruppo", "montenero"), [1, 3]),  # one word each: the volunteer chooses
        (("spid",), [2]),
        (("spid-help",), [2]),  # the code
        (("condiv",), [1]),  # the start of a long word
        (("lettura",), [3]),
        (("giardino",), []),
        ((), []),
    ],
)
def test_a_project_is_found_by_the_words_of_its_title_or_its_code(
    words: tuple[str, ...], matched: list[int]
) -> None:
    assert match_projects(words, CATALOG) == matched


def test_titles_match_without_accents_or_case() -> None:
    assert match_projects(name_words("citta SICURA"), {7: ("cs", "Città sicura")}) == [7]
    assert name_words("Il Giardino della Città") == ("giardino", "citta")
