"""When timed notices go out: reminders before a start, nudges after an end, quiet hours.

Pure functions, shared by shift reminders, hours nudges and event reminders. Everything is
computed in BOT_TIMEZONE and returned in UTC, ready to be stored as a delivery's due time.

- Whole days of an offset are counted on the local calendar, the rest as elapsed time: a
  24 h reminder of a 09:00 shift comes at 09:00 the day before, also across a
  daylight-saving change, while a 2 h reminder comes exactly two hours before.
- Quiet hours are applied when a notice is queued, never by the sender: a non-urgent
  notice due inside `QUIET_HOURS` waits until the window ends. A reminder that would then
  arrive at or after what it reminds of is sent on time instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from bot.settings import Settings

QuietHours = tuple[time, time]  # (start, end), local; the window may span midnight
DAY = timedelta(days=1)
PROGRAMME_ZONE = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class ReminderPolicy:
    """The configured timing of reminders and nudges (defaults as in the operator contract)."""

    offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))
    nudge_after: timedelta = timedelta(hours=1)
    quiet_hours: QuietHours | None = (time(21), time(8))
    zone: ZoneInfo = PROGRAMME_ZONE

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderPolicy:
        return cls(
            offsets=tuple(settings.reminder_offsets),
            nudge_after=settings.hours_nudge_after,
            quiet_hours=settings.quiet_hours,
            zone=settings.timezone,
        )

    def wanted(self, chosen_seconds: Iterable[int] | None) -> tuple[timedelta, ...]:
        """The configured offsets a user wants: all when they never chose (None)."""
        if chosen_seconds is None:
            return self.offsets
        chosen = set(chosen_seconds)
        return tuple(offset for offset in self.offsets if int(offset.total_seconds()) in chosen)


@dataclass(frozen=True)
class PlannedReminder:
    offset: timedelta
    due_at: datetime  # UTC


def moved_by(moment: datetime, delta: timedelta, zone: ZoneInfo) -> datetime:
    """`moment` + `delta`, whole days on the local calendar and the rest as elapsed time."""
    days = int(delta / DAY) if delta >= timedelta(0) else -int(-delta / DAY)
    rest = delta - timedelta(days=days)
    local = moment.astimezone(zone)
    # Same wall-clock time `days` days away; a time in the spring gap lands just after it.
    shifted = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)
    return (shifted.astimezone(UTC) + rest).astimezone(UTC)


def quiet_window_end(moment: datetime, quiet: QuietHours | None, zone: ZoneInfo) -> datetime | None:
    """When the quiet window holding `moment` ends (UTC), or None when it is outside one."""
    if quiet is None or quiet[0] == quiet[1]:
        return None
    start, end = quiet
    local = moment.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    if start < end:
        inside, end_day = start <= wall < end, local.date()
    elif wall >= start:
        inside, end_day = True, local.date() + DAY
    else:
        inside, end_day = wall < end, local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def defer_out_of_quiet_hours(
    due: datetime,
    quiet: QuietHours | None,
    zone: ZoneInfo,
    *,
    deadline: datetime | None = None,
) -> datetime:
    """The time a non-urgent notice due at `due` goes out (UTC).

    Inside the quiet window it waits for the window's end, unless that is not before
    `deadline` (the start a reminder is about): then it goes at `due`, as it would otherwise
    arrive too late.
    """
    end = quiet_window_end(due, quiet, zone)
    if end is None or (deadline is not None and end >= deadline):
        return due.astimezone(UTC)
    return end


def reminder_times(
    start: datetime,
    offsets: Sequence[timedelta],
    *,
    now: datetime,
    quiet: QuietHours | None,
    zone: ZoneInfo,
) -> list[PlannedReminder]:
    """The reminders of something starting at `start`, earliest first.

    A reminder whose time (after quiet hours) has already passed at `now` is left out.
    """
    planned = []
    for offset in offsets:
        due = moved_by(start, -offset, zone)
        due = defer_out_of_quiet_hours(due, quiet, zone, deadline=start)
        if due >= now and due < start:
            planned.append(PlannedReminder(offset, due))
    return sorted(planned, key=lambda reminder: reminder.due_at)


def nudge_time(
    end: datetime, after: timedelta, *, quiet: QuietHours | None, zone: ZoneInfo
) -> datetime:
    """When to ask for the hours of something that ended at `end` (UTC), out of quiet hours."""
    return defer_out_of_quiet_hours(moved_by(end, after, zone), quiet, zone)
