"""Joining the volunteer register: what it needs, who may join, and the dated record.

Eligibility follows the city's regulation: from the 18th birthday until the 80th; from 15
with a parent's authorisation (a flag the tutor confirms); from 75 a medical certificate
(a requirement the tutor clears). Only residents or people domiciled in the city.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache

from babel.dates import get_month_names
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Volunteer
from storage.repositories import volunteers as repo

MIN_AGE, GUARDIAN_UNTIL, MEDICAL_FROM, MAX_AGE = 15, 18, 75, 80
# Outside these ages a birth date is a typo to ask again about, not a person to turn away.
PLAUSIBLE_AGES = range(5, 100)
# Month names are read in every language the bot speaks, whatever the person's own.
DATE_LOCALES = ("it", "en")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
# The year is optional in the patterns; only `read_date(..., year=...)` lets it be left out.
_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DAY_NAME_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|°|º)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?$")
_NAME_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")


class Problem(StrEnum):
    """Why an answer or a registration was refused; handlers explain each in words."""

    NAME = "name"
    NAME_SYMBOL = "name_symbol"
    DATE_FORMAT = "date_format"
    DATE_IMPOSSIBLE = "date_impossible"
    DATE_FUTURE = "date_future"
    DATE_IMPLAUSIBLE = "date_implausible"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    PHONE = "phone"
    NOT_RESIDENT = "not_resident"
    NO_CONSENT = "no_consent"
    ALREADY_REGISTERED = "already_registered"


class RegisterError(ValueError):
    """`age` is the age a refused birth date gives, to say it back to the person."""

    def __init__(self, problem: Problem, age: int | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.age = age


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# A name starting with one of these would be a formula where the office opens the register.
FORMULA_STARTS = ("=", "+", "@")


def check_name(text: str) -> str:
    name = " ".join(text.split())
    if name.startswith(FORMULA_STARTS):
        raise RegisterError(Problem.NAME_SYMBOL)
    if not 3 <= len(name) <= 120 or " " not in name or any(ch.isdigit() for ch in name):
        raise RegisterError(Problem.NAME)
    return name


def parse_birth_date(text: str, today: date) -> date:
    """A date of birth as people write it; the age must be within the register's limits.

    Read: 15/3/1990 (also with . or -), 1990-03-15, "15 marzo 1990", "March 15, 1990",
    with month names, whole or short, in Italian or English.
    """
    birth = read_date(text)
    if birth > today:
        raise RegisterError(Problem.DATE_FUTURE)
    age = age_on(birth, today)
    if age not in PLAUSIBLE_AGES:
        raise RegisterError(Problem.DATE_IMPLAUSIBLE, age)
    if age < MIN_AGE:
        raise RegisterError(Problem.TOO_YOUNG, age)
    if age >= MAX_AGE:
        raise RegisterError(Problem.TOO_OLD, age)
    return birth


def read_date(text: str, year: int | None = None) -> date:
    """Day, month and year in any of the forms `parse_birth_date` reads; no range check.

    With `year`, the year may be left out ("15 dicembre", "15/12") and is that one.
    """
    word = _fold(" ".join(text.split()))

    def _year(written: str | None) -> int:
        if written:
            return int(written)
        if year is None:
            raise RegisterError(Problem.DATE_FORMAT)
        return year

    if match := _DATE.match(word):
        return _date(_year(match[3]), int(match[2]), int(match[1]))
    if match := _ISO_DATE.match(word):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if (match := _DAY_NAME_YEAR.match(word)) and (month := _months().get(match[2])):
        return _date(_year(match[3]), month, int(match[1]))
    if (match := _NAME_DAY_YEAR.match(word)) and (month := _months().get(match[1])):
        return _date(_year(match[3]), month, int(match[2]))
    raise RegisterError(Problem.DATE_FORMAT)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise RegisterError(Problem.DATE_IMPOSSIBLE) from None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _months() -> dict[str, int]:
    """Month names, whole and short, to their numbers: "marzo", "mar", "march" -> 3."""
    names: dict[str, int] = {}
    for locale in DATE_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[_fold(name).rstrip(".")] = number
    return names


def normalise_phone(text: str) -> str:
    compact = re.sub(r"[\s().\-/]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _PHONE.match(compact):
        raise RegisterError(Problem.PHONE)
    return compact


@dataclass(frozen=True)
class Form:
    full_name: str
    birth_date: date
    phone: str
    resident: bool
    consent: bool


@dataclass(frozen=True)
class VolunteerStatus:
    telegram_id: int
    full_name: str
    identity_verified: bool
    needs_guardian: bool
    guardian_confirmed: bool
    needs_medical: bool
    medical_cleared: bool

    @property
    def requirements_pending(self) -> bool:
        return (self.needs_guardian and not self.guardian_confirmed) or (
            self.needs_medical and not self.medical_cleared
        )


def _status(volunteer: Volunteer) -> VolunteerStatus:
    return VolunteerStatus(
        volunteer.telegram_id,
        volunteer.full_name,
        volunteer.identity_verified,
        volunteer.needs_guardian,
        volunteer.guardian_confirmed,
        volunteer.needs_medical,
        volunteer.medical_cleared,
    )


async def volunteer_status(session: AsyncSession, telegram_id: int) -> VolunteerStatus | None:
    volunteer = await repo.get_volunteer(session, telegram_id)
    return _status(volunteer) if volunteer else None


async def join_register(
    session: AsyncSession, telegram_id: int, form: Form, *, now: datetime, today: date
) -> VolunteerStatus:
    """Adds the person to the register (to be verified by a tutor) with a dated entry."""
    if not form.resident:
        raise RegisterError(Problem.NOT_RESIDENT)
    if not form.consent:
        raise RegisterError(Problem.NO_CONSENT)
    if await repo.get_volunteer(session, telegram_id) is not None:
        raise RegisterError(Problem.ALREADY_REGISTERED)
    parse_birth_date(form.birth_date.strftime("%d/%m/%Y"), today)  # the limits, once more
    age = age_on(form.birth_date, today)
    volunteer = Volunteer(
        telegram_id=telegram_id,
        full_name=check_name(form.full_name),
        birth_date=form.birth_date,
        phone=normalise_phone(form.phone),
        resident=True,
        registered_at=now,
        consent_at=now,
        identity_verified=False,
        needs_guardian=age < GUARDIAN_UNTIL,
        guardian_confirmed=False,
        needs_medical=age >= MEDICAL_FROM,
        medical_cleared=False,
    )
    repo.add_volunteer(session, volunteer)
    repo.add_entry(
        session,
        telegram_id,
        "registered",
        {
            "full_name": volunteer.full_name,
            "birth_date": volunteer.birth_date.isoformat(),
            "phone": volunteer.phone,
            "resident": True,
            "consent": True,
        },
        now,
    )
    await session.commit()
    return _status(volunteer)


async def correct_phone(
    session: AsyncSession,
    telegram_id: int,
    phone: str,
    *,
    now: datetime,
    recorded_by: int | None = None,
) -> str:
    """A correction: the register gains a dated entry; earlier entries stay as they were."""
    volunteer = await repo.get_volunteer(session, telegram_id)
    if volunteer is None:
        raise LookupError(telegram_id)
    normalised = normalise_phone(phone)
    repo.add_entry(
        session,
        telegram_id,
        "corrected",
        {"phone": normalised, "previous_phone": volunteer.phone},
        now,
        recorded_by=recorded_by,
    )
    volunteer.phone = normalised
    await session.commit()
    return normalised
