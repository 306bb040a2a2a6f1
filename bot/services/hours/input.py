"""Reading what a volunteer types to log hours: a duration, a date and a project's name.

Pure functions, no I/O: `/hours 2h30 ieri orti` and the steps of the guided conversation
both come through here. Every refusal is a distinct `Problem` the handler translates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

MAX_REPORT_MINUTES = 12 * 60
MAX_DAY_MINUTES = 24 * 60
MAX_NOTE_LENGTH = 300

TODAY_WORDS = frozenset({"today", "oggi"})
YESTERDAY_WORDS = frozenset({"yesterday", "ieri"})
# Read only to be refused as the future, rather than taken for a project's name.
TOMORROW_WORDS = frozenset({"tomorrow", "domani"})

_HOURS_MINUTES = re.compile(r"^(\d{1,3})h(?:(\d{1,2})m?)?$")  # 2h, 2h30, 2h30m
_MINUTES = re.compile(r"^(\d{1,5})(?:m|min)$")  # 90m, 90min
_CLOCK = re.compile(r"^(\d{1,3}):(\d{2})$")  # 1:30
_DECIMAL = re.compile(r"^(\d{1,3}(?:[.,]\d{1,3})?)h?$")  # 2, 2.5, 2,5, 2.5h
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")
# A date attempt, as opposed to a project's name: anything with a slash (never in a code),
# or what the catalog refuses as a project code because it looks like a date.
_DATE_ATTEMPT = re.compile(r"^(?:.*/.*|\d{1,4}(?:-\d{1,2}){1,2})$")
_DATE_WORDS = TODAY_WORDS | YESTERDAY_WORDS | TOMORROW_WORDS
# Said after a number, never the name of a project: "/hours 2 ore oggi".
HOUR_WORDS = frozenset({"ore", "ora", "h", "hours", "hour", "hrs"})
MINUTE_WORDS = frozenset({"minuti", "minuto", "min", "mins", "minutes", "minute", "m"})
# Short words of a title that name no project on their own.
STOP_WORDS = frozenset(
    {"di", "del", "della", "dei", "delle", "da", "al", "alla", "il", "lo", "la", "le", "gli"}
    | {"un", "una", "ed", "per", "con", "su", "in", "the", "of", "and", "for", "an", "to"}
    | {"at", "on", "a", "e", "i"}
)
MAX_QUICK_WORDS = 8
# A word this long may stand for a longer one: "condiv" for "condivisi".
_PREFIX_LENGTH = 4
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


class Problem(StrEnum):
    NOT_A_DURATION = "not_a_duration"
    NOT_POSITIVE = "not_positive"
    OVER_REPORT_LIMIT = "over_report_limit"
    NOT_A_DATE = "not_a_date"
    NO_SUCH_DATE = "no_such_date"
    FUTURE_DATE = "future_date"
    TOO_OLD = "too_old"
    TWO_DATES = "two_dates"
    TOO_MANY_WORDS = "too_many_words"
    NOTE_TOO_LONG = "note_too_long"


class InputError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class QuickReport:
    """`/hours DURATION [DATE] [PROJECT]` read; None or () for what was not given."""

    minutes: int
    work_date: date | None
    project_words: tuple[str, ...] = ()


def parse_minutes(text: str) -> int:
    """Minutes from `2`, `2.5`, `2,5`, `2h`, `2h30`, `90m` or `1:30`; range not checked."""
    word = text.strip().lower().replace(" ", "")
    if word.startswith("-") and len(word) > 1:
        try:
            parse_minutes(word[1:])
        except InputError:
            raise InputError(Problem.NOT_A_DURATION) from None
        raise InputError(Problem.NOT_POSITIVE)
    if match := _HOURS_MINUTES.fullmatch(word):
        return _hours_and_minutes(int(match[1]), int(match[2] or 0))
    if match := _MINUTES.fullmatch(word):
        return int(match[1])
    if match := _CLOCK.fullmatch(word):
        return _hours_and_minutes(int(match[1]), int(match[2]))
    if match := _DECIMAL.fullmatch(word):
        hours = Decimal(match[1].replace(",", "."))
        # Whole minutes: 1.33 h is 80 minutes, as a volunteer would mean it.
        return int((hours * 60).to_integral_value())
    raise InputError(Problem.NOT_A_DURATION)


def _hours_and_minutes(hours: int, minutes: int) -> int:
    if minutes >= 60:
        raise InputError(Problem.NOT_A_DURATION)
    return hours * 60 + minutes


def check_minutes(minutes: int) -> int:
    """More than 0 and at most 12 hours in one report."""
    if minutes <= 0:
        raise InputError(Problem.NOT_POSITIVE)
    if minutes > MAX_REPORT_MINUTES:
        raise InputError(Problem.OVER_REPORT_LIMIT)
    return minutes


def read_duration(text: str) -> int:
    return check_minutes(parse_minutes(text))


def looks_like_date(word: str) -> bool:
    lowered = word.strip().lower()
    return lowered in _DATE_WORDS or bool(_DATE_ATTEMPT.fullmatch(lowered))


def parse_date(text: str, today: date) -> date:
    """`today`/`oggi`, `yesterday`/`ieri`, `YYYY-MM-DD`, or `DD/MM` (the latest such date
    not after today, so on 3 January `30/12` is last year's); range not checked."""
    word = text.strip().lower()
    if word in TODAY_WORDS:
        return today
    if word in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    if word in TOMORROW_WORDS:
        return today + timedelta(days=1)
    if match := _ISO_DATE.fullmatch(word):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_MONTH.fullmatch(word):
        day, month = int(match[1]), int(match[2])
        if match[3]:
            return _date(int(match[3]), month, day)
        return _latest_day_month(day, month, today)
    raise InputError(Problem.NOT_A_DATE)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(Problem.NO_SUCH_DATE) from None


def _latest_day_month(day: int, month: int, today: date) -> date:
    _date(2000, month, day)  # a leap year: refuses only days no year has
    # 29/02 may be up to eight years back (across a century's missing leap day).
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise InputError(Problem.NO_SUCH_DATE)


def check_work_date(work_date: date, today: date, max_age_days: int) -> date:
    """Not in the future, and not older than HOURS_MAX_AGE_DAYS."""
    if work_date > today:
        raise InputError(Problem.FUTURE_DATE)
    if (today - work_date).days > max_age_days:
        raise InputError(Problem.TOO_OLD)
    return work_date


def read_date(text: str, today: date, max_age_days: int) -> date:
    return check_work_date(parse_date(text, today), today, max_age_days)


def check_note(text: str) -> str | None:
    note = text.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InputError(Problem.NOTE_TOO_LONG)
    return note or None


def parse_quick(arguments: str, today: date, max_age_days: int) -> QuickReport:
    """`DURATION [UNIT] [DATE] [PROJECT WORDS]`, the date and the project in either order;
    unit words ("ore", "hours", "minuti") are never read as a project."""
    words = arguments.split()
    if not words:
        raise InputError(Problem.NOT_A_DURATION)
    if len(words) > MAX_QUICK_WORDS:
        raise InputError(Problem.TOO_MANY_WORDS)
    rest = [fold(word) for word in words[1:]]
    if rest and rest[0] in MINUTE_WORDS and words[0].isdigit():
        minutes = check_minutes(int(words[0]))  # "30 minuti" is half an hour, not 30 hours
    else:
        minutes = read_duration(words[0])
    work_date: date | None = None
    project: list[str] = []
    for word in rest:
        if word in HOUR_WORDS or word in MINUTE_WORDS:
            continue
        if looks_like_date(word):
            if work_date is not None:
                raise InputError(Problem.TWO_DATES)
            work_date = read_date(word, today, max_age_days)
        else:
            project.extend(name_words(word))
    return QuickReport(minutes, work_date, tuple(project))


def fold(text: str) -> str:
    """Lower case without accents, so that "Città" and "citta" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_words(text: str) -> tuple[str, ...]:
    """The words of a name that can tell one project from another."""
    return tuple(w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS)


def _matches(word: str, names: tuple[str, ...]) -> bool:
    if len(word) >= _PREFIX_LENGTH:
        return any(name.startswith(word) for name in names)
    return word in names


def match_projects(words: tuple[str, ...], projects: Mapping[int, tuple[str, str]]) -> list[int]:
    """The projects (by id, from id -> (code, title)) that `words` name: the one whose code
    is among them, else those that the most of them name; empty when none fits."""
    by_code = [project_id for project_id, (code, _) in projects.items() if code in words]
    if len(by_code) == 1:
        return by_code
    scores = {
        project_id: sum(_matches(word, name_words(f"{code} {title}")) for word in words)
        for project_id, (code, title) in projects.items()
    }
    best = max(scores.values(), default=0)
    return [project_id for project_id, score in scores.items() if best and score == best]
