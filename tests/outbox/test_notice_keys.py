"""Every notice keeps its identities: rows queued before an upgrade still match after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import notices
from bot.notices import announcements, events, hours, shifts

ROME = ZoneInfo("Europe/Rome")
START = datetime(2026, 12, 6, 10, 0, tzinfo=ROME)
END = datetime(2026, 12, 6, 12, 0, tzinfo=ROME)
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def test_each_notice_keeps_its_message_key_kind_and_priority() -> None:
    assert [(n.message_key, n.kind, n.priority) for n in notices.NOTICES] == [
        ("staff.appointed", "staff", 5),
        ("shift.promoted", "promotion", 0),
        ("shift.cancelled", "shift-change", 0),
        ("shift.changed", "shift-change", 0),
        ("shift.tutor_message", "tutor-message", 0),
        ("shift.reminder", "reminder", 0),
        ("hours.nudge", "hours-nudge", 5),
        ("shift.staff_change", "staff-change", 0),
        ("shift.volunteer_reply", "volunteer-reply", 0),
        ("announcement", "announcement", 9),
        ("event.new", "event-new", 5),
        ("event.changed", "event-change", 0),
        ("event.cancelled", "event-change", 0),
        ("event.reminder", "reminder", 0),
        ("event.digest", "digest", 9),
        ("hours.submitted", "hours", 5),
        ("hours.approved", "hours", 5),
        ("hours.rejected", "hours", 5),
        ("hours.undone", "hours", 5),
        ("hours.notice_closed", "hours", 5),
        ("reply.deferred", "reply", -1),
        ("reply.file_later", "reply", -1),
    ]
    assert announcements.URGENT_PRIORITY == 8
    assert set(notices.RENDERERS) == {n.message_key for n in notices.NOTICES}


def test_the_de_duplication_keys_keep_their_exact_strings() -> None:
    two_hours = timedelta(hours=2)
    assert [
        shifts.STAFF_APPOINTED.key(7, "tutor", ["orti", "biblio"]),
        shifts.PROMOTED.key(4, 7, NOW),
        shifts.CANCELLED.key(4, 7, START, END),
        shifts.CHANGED.key(4, 7, START, END),
        shifts.TUTOR_MESSAGE.key(4, 7, NOW),
        shifts.REMINDER.key(4, 7, two_hours, START),
        shifts.HOURS_NUDGE.key(4, 7),
        announcements.ANNOUNCEMENT.key(3, 7),
        events.NEW.key(5, 7),
        events.CHANGED.key(5, 7, NOW),
        events.CANCELLED.key(5, 7, NOW),
        events.REMINDER.key(5, 7, two_hours, START),
        events.DIGEST.key("2026-W49", 7),
        hours.SUBMITTED.key(12, 7),
        hours.SUBMITTED.key(12, 7, NOW),
        hours.APPROVED.key(12),
        hours.REJECTED.key(12),
        hours.APPROVED.key(12, NOW),
        hours.UNDONE.key(12, NOW),
        hours.CLOSED.key(40, "pending", NOW),
    ] == [
        "staff-appointed:7:tutor:biblio,orti",
        "promoted:4:7:2026-12-02T09:30:00+00:00",
        "shift-cancelled:4:7:2026-12-06T10:00:00+01:00:2026-12-06T12:00:00+01:00",
        "shift-changed:4:7:2026-12-06T10:00:00+01:00:2026-12-06T12:00:00+01:00",
        "tutor-message:4:7:2026-12-02T09:30:00+00:00",
        "reminder:shift:4:user:7:7200:2026-12-06T09:00:00+00:00",
        "hours-nudge:shift:4:user:7",
        "announcement:3:7",
        "event-new:5:user:7",
        "event-changed:5:user:7:2026-12-02T09:30:00+00:00",
        "event-cancelled:5:user:7:2026-12-02T09:30:00+00:00",
        "reminder:event:5:user:7:7200:2026-12-06T09:00:00+00:00",
        "digest:2026-W49:user:7",
        "hours-submitted:12:7",
        "hours-corrected:12:7:2026-12-02T09:30:00+00:00",
        "hours-decided:12",
        "hours-decided:12",
        "hours-decided:12:2026-12-02T09:30:00+00:00",
        "hours-undone:12:2026-12-02T09:30:00+00:00",
        "hours-notice-edit:40:pending:2026-12-02T09:30:00+00:00",
    ]


def test_each_family_is_the_prefix_of_its_notices_keys() -> None:
    assert shifts.REMINDER.family(4, 7) == ("reminder:shift:4:user:7:",)
    assert events.REMINDER.family(5, 7) == ("reminder:event:5:user:7:",)
    assert announcements.ANNOUNCEMENT.family(3) == ("announcement:3:",)
    assert hours.SUBMITTED.family(12) == ("hours-submitted:12:", "hours-corrected:12:")
