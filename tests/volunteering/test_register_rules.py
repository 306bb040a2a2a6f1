"""The register's rules: every age boundary, dates and phone numbers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.volunteering.register import (
    Problem,
    RegisterError,
    normalise_phone,
    parse_birth_date,
)

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("birth", "problem"),
    [
        ("03/12/2011", Problem.TOO_YOUNG),  # 15 tomorrow
        ("02/12/1946", Problem.TOO_OLD),  # 80 today
        ("31/02/1990", Problem.DATE_IMPOSSIBLE),
        ("31 febbraio 1990", Problem.DATE_IMPOSSIBLE),
        ("17 brumaio 1990", Problem.DATE_FORMAT),
        ("yesterday", Problem.DATE_FORMAT),
        ("03/12/2026", Problem.DATE_FUTURE),
        ("01/01/1900", Problem.DATE_IMPLAUSIBLE),  # 126: a typo, asked again
        ("01/01/2025", Problem.DATE_IMPLAUSIBLE),
    ],
)
def test_a_birth_date_out_of_the_rules_is_refused(birth: str, problem: Problem) -> None:
    with pytest.raises(RegisterError) as refused:
        parse_birth_date(birth, TODAY)
    assert refused.value.problem is problem


@pytest.mark.parametrize(
    "typed",
    [
        "15 marzo 1990",
        "15 Marzo 1990",
        "15 mar 1990",
        "15/3/1990",
        "15.03.1990",
        "1990-03-15",
        "March 15 1990",
        "March 15, 1990",
        "15 March 1990",
        "15th March 1990",
        "Mar 15 1990",
    ],
)
def test_a_birth_date_is_read_as_people_write_it(typed: str) -> None:
    assert parse_birth_date(typed, TODAY) == date(1990, 3, 15)


def test_an_implausible_date_carries_the_age_it_gives() -> None:
    with pytest.raises(RegisterError) as refused:
        parse_birth_date("1/1/1900", TODAY)
    assert refused.value.age == 126


@pytest.mark.parametrize("birth", ["02/12/2011", "02.12.1947", "03/12/1946", "17-05-1990"])
def test_birth_dates_inside_the_limits_are_accepted(birth: str) -> None:
    assert parse_birth_date(birth, TODAY) <= TODAY


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("333 123 4567", "3331234567"),
        ("+39 (0522) 456-789", "+390522456789"),
        ("0039333123456", "+39333123456"),
    ],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["abc", "12345", "+39 333 12345678901234", ""])
def test_bad_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(RegisterError) as refused:
        normalise_phone(typed)
    assert refused.value.problem is Problem.PHONE
