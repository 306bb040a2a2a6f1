"""Which reminders a volunteer wants (/settings), quiet hours, and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.services.volunteering import shifts
from bot.services.volunteering.reminder_times import ReminderPolicy
from tests.reminders.reminded import Reminded, local
from tests.support.harness import button_labels

SPID = "Ago, Filo e Spid (digital help)"
SPID_JOIN = "Join: Mon 7 Dec, 15:00–18:00"


async def open_choices(reminded: Reminded, user: int) -> dict[str, Any]:
    [settings] = await reminded.bot.say(user, "/settings")
    _, [choices] = await reminded.bot.press(user, settings, "🔔 Reminders")
    return choices


async def press(reminded: Reminded, user: int, message: dict[str, Any], label: str) -> dict:
    answer, _ = await reminded.bot.press(user, message, label)
    assert answer is not None and answer["text"] == "Saved."
    edited = reminded.bot.emulator.message(user, message["message_id"])
    assert edited is not None
    return edited


async def test_switching_off_one_reminder_keeps_the_other(reminded: Reminded) -> None:
    user = 1201
    await reminded.enrol(user)
    await reminded.join(user, SPID, SPID_JOIN)
    choices = await open_choices(reminded, user)
    assert button_labels(choices) == ["✅ 24 hours before", "✅ 2 hours before", "No reminders"]
    choices = await press(reminded, user, choices, "✅ 2 hours before")
    assert button_labels(choices)[:2] == ["✅ 24 hours before", "▫️ 2 hours before"]
    assert "Now: 24 hours before" in choices["text"]
    assert await reminded.pending(user) == [
        ("hours.nudge", local(2026, 12, 7, 19, 0)),
        ("shift.reminder", local(2026, 12, 6, 15, 0)),
    ]
    day_before = await reminded.expect_at(user, local(2026, 12, 6, 15, 0))
    assert day_before["text"].startswith("⏰ Reminder")
    await reminded.expect_nothing_at(user, local(2026, 12, 7, 13, 0))


async def test_no_reminders_means_none_and_switching_back_on_restores_them(
    reminded: Reminded,
) -> None:
    user = 1202
    await reminded.enrol(user)
    choices = await open_choices(reminded, user)
    choices = await press(reminded, user, choices, "No reminders")
    assert button_labels(choices)[:2] == ["▫️ 24 hours before", "▫️ 2 hours before"]
    assert "Now: none" in choices["text"]
    await reminded.join(user, SPID, SPID_JOIN)  # chosen before signing up: applies at once
    assert await reminded.pending(user) == [("hours.nudge", local(2026, 12, 7, 19, 0))]

    choices = await press(reminded, user, choices, "▫️ 2 hours before")
    assert await reminded.pending(user) == [
        ("hours.nudge", local(2026, 12, 7, 19, 0)),
        ("shift.reminder", local(2026, 12, 7, 13, 0)),
    ]
    await press(reminded, user, choices, "✅ 2 hours before")
    choices = await press(reminded, user, choices, "▫️ 2 hours before")  # off, then on again
    await reminded.expect_nothing_at(user, local(2026, 12, 6, 15, 0))
    reminder = await reminded.expect_at(user, local(2026, 12, 7, 13, 0))
    assert reminder["text"].startswith("⏰ Reminder")
    await reminded.expect_nothing_at(user, local(2026, 12, 7, 18, 0))
    texts = [message["text"] for message in reminded.bot.emulator.bot_messages(user)]
    assert sum(text.startswith("⏰ Reminder") for text in texts) == 1


async def test_the_choice_is_shown_in_italian(reminded: Reminded) -> None:
    user = 1203
    await reminded.enrol(user, locale="it")
    [settings] = await reminded.bot.say(user, "/settings")
    _, [choices] = await reminded.bot.press(user, settings, "🔔 Promemoria")
    assert button_labels(choices) == ["✅ 24 ore prima", "✅ 2 ore prima", "Nessun promemoria"]


async def test_quiet_hours_hold_notices_but_not_a_reminder_that_would_come_too_late(
    reminded: Reminded,
) -> None:
    early, late = 1211, 1212
    await reminded.enrol(early)
    await reminded.enrol(late)
    await reminded.join(early, "Dawn clean-up", "Join: Sat 5 Dec, 07:30–09:00")
    await reminded.join(late, "Dawn clean-up", "Join: Fri 4 Dec, 18:30–20:30")
    # 24 h before 07:30 is inside 21:00–08:00: it waits for 08:00. The 2 h reminder (05:30)
    # would wait past the start, so it goes on time.
    assert await reminded.pending(early) == [
        ("hours.nudge", local(2026, 12, 5, 10, 0)),
        ("shift.reminder", local(2026, 12, 4, 8, 0)),
        ("shift.reminder", local(2026, 12, 5, 5, 30)),
    ]
    # The nudge after 20:30 + 1 h falls in the night: it comes at 08:00.
    assert ("hours.nudge", local(2026, 12, 5, 8, 0)) in await reminded.pending(late)

    await reminded.expect_nothing_at(early, local(2026, 12, 4, 7, 59))
    held = await reminded.expect_at(early, local(2026, 12, 4, 8, 0))
    assert held["text"].startswith("⏰ Reminder: your shift of Dawn clean-up")
    await reminded.at(local(2026, 12, 4, 20, 0))  # the late shift's own reminders go out
    await reminded.expect_nothing_at(late, local(2026, 12, 4, 21, 45))
    on_time = await reminded.expect_at(early, local(2026, 12, 5, 5, 30))
    assert "is today at 7:30, in 2 hours." in on_time["text"]
    nudge = await reminded.expect_at(late, local(2026, 12, 5, 8, 0))
    assert nudge["text"].startswith("Thank you for the shift of Dawn clean-up")


@pytest.mark.parametrize(
    ("code", "expected_utc"),
    [
        # Spring: the night before Sunday 28 March 2027 loses an hour.
        ("march-sun", datetime(2027, 3, 27, 8, 0, tzinfo=UTC)),  # Sat 09:00 CET
        ("march-mon", datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),  # Sun 09:00 CEST
        # Autumn: the night before Sunday 31 October 2027 gains one.
        ("october-sun", datetime(2027, 10, 30, 7, 0, tzinfo=UTC)),  # Sat 09:00 CEST
        ("october-mon", datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),  # Sun 09:00 CET
    ],
)
async def test_the_day_before_reminder_keeps_the_local_time_across_daylight_saving(
    reminded: Reminded, code: str, expected_utc: datetime
) -> None:
    user = 1221
    await reminded.enrol(user)
    async with reminded.bot.sessions() as session:
        policy = ReminderPolicy.from_settings(reminded.bot.settings)
        await shifts.sign_up(
            session, user, reminded.shifts[code], reminded.bot.clock.now(), policy=policy
        )
    reminders = [due for key, due in await reminded.pending(user) if key == "shift.reminder"]
    assert reminders[0] == expected_utc
    assert reminders[0].hour == 9  # local: the shift's own time, the day before
    await reminded.expect_nothing_at(user, expected_utc - timedelta(seconds=1))
    reminder = await reminded.expect_at(user, expected_utc)
    assert reminder["text"].startswith("⏰ Reminder: your shift of Dawn at the clock change")
