"""Reading catalog times: `YYYY-MM-DDTHH:MM[:SS][±HH:MM]`, local unless an offset is given."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<offset>Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
EXPECTED = "a time like 2026-12-01T09:00 (or 2026-12-01T09:00+01:00)"


class TimeValueError(ValueError):
    """A catalog time that cannot be read; the message says why."""


def parse_time(text: str, zone: ZoneInfo) -> datetime:
    """The aware UTC datetime a catalog time stands for.

    A time without an offset is local to `zone`: one in the spring gap is refused,
    an ambiguous autumn one is the first of the two (fold=0).
    """
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise TimeValueError(f"expected {EXPECTED}, got {text!r}")
    try:
        naive = datetime.fromisoformat(
            f"{match['date']}T{match['hour']}:{match['minute']}:{match['second'] or '00'}"
        )
    except ValueError:
        raise TimeValueError(f"{text!r} is not a real date and time") from None
    offset = match["offset"]
    if offset is not None:
        return naive.replace(tzinfo=_fixed_zone(offset, text)).astimezone(UTC)
    return _local_to_utc(naive, zone, text)


def _fixed_zone(offset: str, text: str) -> timezone:
    if offset in ("Z", "z"):
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise TimeValueError(f"{text!r} has an impossible UTC offset")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset.startswith("-") else delta)


def _local_to_utc(naive: datetime, zone: ZoneInfo, text: str) -> datetime:
    local = naive.replace(tzinfo=zone, fold=0)
    result = local.astimezone(UTC)
    # A wall time that does not survive the round trip fell in the daylight-saving gap.
    if result.astimezone(zone).replace(tzinfo=None) != naive:
        raise TimeValueError(
            f"{text!r} does not exist in {zone.key} (the clocks skip it when daylight "
            "saving time starts)"
        )
    return result
