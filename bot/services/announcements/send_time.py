"""When an announcement goes out, as an admin writes it: "domani alle 18", "tomorrow at 6pm".

Pure functions, no I/O: the /broadcast conversation and `quartiere-bot broadcast --at`
both come through here. Times are local to the programme's zone unless an offset is given;
a past time is refused. Dates are read by the register's reader (`register.read_date`), so
"15 dicembre" means the same here as "15 dicembre 1990" does there. Every refusal is a
distinct `Problem` the handler translates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.services.catalog.times import EXPECTED, TimeValueError, parse_time
from bot.services.volunteering.register import DATE_LOCALES, RegisterError, read_date
from bot.services.volunteering.register import Problem as DateProblem


class Problem(StrEnum):
    UNREADABLE = "unreadable"
    NO_SUCH_DATE = "no_such_date"  # 31/11, 29 febbraio in a common year
    NO_SUCH_TIME = "no_such_time"  # 25:00, or skipped when the clocks go forward
    PAST = "past"


class SendTimeError(ValueError):
    """`str()` is a one-line reason in English, for the command line."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


EVENING_WORDS = frozenset({"stasera", "tonight"})  # "stasera alle 9" is 21:00
TODAY_WORDS = frozenset({"oggi", "today", "stamattina", "stamani"}) | EVENING_WORDS
YESTERDAY_WORDS = frozenset({"ieri", "yesterday"})  # read to be refused as past
TOMORROW_WORDS = frozenset({"domani", "tomorrow"})
AFTER_TOMORROW_WORDS = frozenset({"dopodomani", "day after tomorrow"})
# Said around a day without changing it: "il 15 dicembre", "on monday", "lunedi prossimo".
_FILLERS = frozenset({"il", "on", "the", "next", "prossimo", "questo", "this", "di"})
_AT_WORDS = frozenset({"alle", "ore", "at", "@"})

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[tT ]\d{2}:\d{2}")
_CLOCK = r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?"
_AT = r"(?:alle ore|alle|ore|at|@)"
# The day first ("domani alle 18"), or the time first ("18:00 domani").
_DAY_THEN_TIME = re.compile(rf"^(?:(?P<day>.+?)\s+)?(?P<at>{_AT}\s+)?{_CLOCK}$")
_TIME_THEN_DAY = re.compile(rf"^(?P<at>{_AT}\s+)?{_CLOCK}\s+(?P<day>.+)$")


@dataclass(frozen=True)
class _Said:
    day: str
    hour: int
    minute: int


def parse_send_time(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The aware UTC moment `text` names, refused when past.

    Read: `YYYY-MM-DD HH:MM[±HH:MM]`, `DD/MM[/YYYY] HH:MM`, `HH:MM` (today), and natural
    Italian and English: "domani alle 18", "oggi alle 18:30", "lunedì alle 9",
    "tomorrow at 6pm", "tomorrow 18:00", "15 dicembre alle 10", "December 15 at 10:00".
    A date without a year is this year's, or next year's when its month is already over;
    a weekday is the next one whose time is still ahead.
    """
    stripped = " ".join(text.split())
    if _ISO.match(stripped):
        moment = _parsed(stripped.replace(" ", "T", 1), zone, text)
    else:
        moment = _natural(_plain(stripped), now, zone, text)
    if moment < now:
        raise SendTimeError(Problem.PAST, f"{text.strip()} is in the past")
    return moment


def _natural(text: str, now: datetime, zone: ZoneInfo, original: str) -> datetime:
    said = _split(text)
    if said is None:
        raise SendTimeError(Problem.UNREADABLE, f"expected {EXPECTED}, got {original!r}")
    if said.hour > 23 or said.minute > 59:
        raise SendTimeError(Problem.NO_SUCH_TIME, f"{original!r} is not a time of day")
    today = now.astimezone(zone).date()
    at = time(said.hour, said.minute)
    weekday = _weekdays().get(said.day)
    if weekday is not None:
        day = today + timedelta(days=(weekday - today.weekday()) % 7)
        moment = _parsed(_iso(day, at), zone, original)
        return moment if moment >= now else _parsed(_iso(day + timedelta(7), at), zone, original)
    return _parsed(_iso(_day(said.day, today, original), at), zone, original)


def _split(text: str) -> _Said | None:
    """The day and the time of day; None when it is neither form."""
    for pattern in (_DAY_THEN_TIME, _TIME_THEN_DAY):
        match = pattern.match(text)
        if match is None:
            continue
        words = (match["day"] or "").split()
        day = " ".join(w for w in words if w not in _FILLERS | _AT_WORDS)
        said_at = match["at"] or any(w in _AT_WORDS for w in words)
        # A bare number is a time only with a day, "alle"/"at", minutes or am/pm.
        if not (day or said_at or match["minute"] or match["ampm"]):
            return None
        hour = int(match["hour"])
        if match["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
        if day in EVENING_WORDS and hour < 12:
            hour += 12
        return _Said(day, hour, int(match["minute"] or 0))
    return None


def _day(words: str, today: date, original: str) -> date:
    if not words or words in TODAY_WORDS:
        return today
    if words in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    if words in TOMORROW_WORDS:
        return today + timedelta(days=1)
    if words in AFTER_TOMORROW_WORDS:
        return today + timedelta(days=2)
    first, _, rest = words.partition(" ")
    if first in _weekdays() and rest:  # "lunedì 15 dicembre": the date says it all
        words = rest
    try:
        try:
            return read_date(words)  # the year written
        except RegisterError as error:
            if error.problem is not DateProblem.DATE_FORMAT:
                raise
        day = read_date(words, year=today.year)
        return read_date(words, year=today.year + 1) if day.month < today.month else day
    except RegisterError as error:
        if error.problem is DateProblem.DATE_IMPOSSIBLE:
            raise SendTimeError(Problem.NO_SUCH_DATE, f"{original!r} is not a real date") from None
        raise SendTimeError(Problem.UNREADABLE, f"expected {EXPECTED}, got {original!r}") from None


def _iso(day: date, at: time) -> str:
    return f"{day.isoformat()}T{at.strftime('%H:%M')}"


def _parsed(text: str, zone: ZoneInfo, original: str) -> datetime:
    try:
        return parse_time(text, zone)
    except TimeValueError as error:
        problem = Problem.UNREADABLE if "expected" in str(error) else Problem.NO_SUCH_TIME
        raise SendTimeError(problem, str(error).replace(repr(text), repr(original))) from None


def _plain(text: str) -> str:
    """Lower case, without accents or commas: "Lunedì, alle 9" -> "lunedi alle 9"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace(",", " "))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def _weekdays() -> dict[str, int]:
    """Weekday names, whole and short, to Python's numbers: "lunedi", "mon" -> 0."""
    names: dict[str, int] = {}
    for locale in DATE_LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=locale).items():
                names[_plain(name).rstrip(".")] = number
    return names


# Quick choices


class Quick(StrEnum):
    THIS_EVENING = "this_evening"
    TOMORROW_MORNING = "tomorrow_morning"
    TOMORROW_EVENING = "tomorrow_evening"


# Each quick choice: days from today and the time of day.
_QUICK_TIMES = (
    (Quick.THIS_EVENING, 0, time(18)),
    (Quick.TOMORROW_MORNING, 1, time(9)),
    (Quick.TOMORROW_EVENING, 1, time(18)),
)
# A quick time closer than this is not worth a button: "now" is as good.
QUICK_MARGIN = timedelta(minutes=15)


@dataclass(frozen=True)
class QuickTime:
    quick: Quick
    moment: datetime  # aware, UTC


def quick_times(now: datetime, zone: ZoneInfo) -> list[QuickTime]:
    """The usual moments still ahead: this evening at 18:00, tomorrow at 9:00 and 18:00."""
    today = now.astimezone(zone).date()
    chosen = []
    for quick, days, at in _QUICK_TIMES:
        moment = parse_time(_iso(today + timedelta(days=days), at), zone)
        if moment - now >= QUICK_MARGIN:
            chosen.append(QuickTime(quick, moment))
    return chosen
