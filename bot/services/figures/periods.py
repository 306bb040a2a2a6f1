"""The periods staff and volunteers choose for figures and certificates, as inclusive dates."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Period(StrEnum):
    THIS_MONTH = "month"
    THIS_YEAR = "year"
    LAST_YEAR = "last_year"
    ALL = "all"


def period_dates(period: Period, today: date, first_day: date | None = None) -> tuple[date, date]:
    """The first and last day of the period as of today (local dates, both included).

    The current month and year end today, since no hours are ever logged for the future;
    ALL starts at first_day (today when there is none).
    """
    if period is Period.THIS_MONTH:
        return today.replace(day=1), today
    if period is Period.THIS_YEAR:
        return date(today.year, 1, 1), today
    if period is Period.LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return min(first_day or today, today), today


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, in order."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append((current.year, current.month))
        current = (current + timedelta(days=32)).replace(day=1)
    return months
