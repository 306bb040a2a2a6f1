"""Logging hours with /hours: in one message, refused with a reason, and nothing half-saved."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.support.fixtures import ROME
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import LUCA, MARIA, PIERO, SARA, Programme, say

TUESDAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("duration", "minutes", "shown"),
    [
        ("2", 120, "2 h"),
        ("2.5", 150, "2 h 30 min"),
        ("2,5", 150, "2 h 30 min"),
        ("2h", 120, "2 h"),
        ("2h30", 150, "2 h 30 min"),
        ("90m", 90, "1 h 30 min"),
        ("1:30", 90, "1 h 30 min"),
    ],
)
async def test_every_duration_form_logs_its_minutes_for_the_only_project(
    harness: BotHarness, programme: Programme, duration: str, minutes: int, shown: str
) -> None:
    reply = await say(harness, MARIA, f"/hours {duration}")
    assert reply["text"].startswith(f"✅ Logged {shown} for Shared gardens on Tue 8 Dec 2026.")
    [report] = await programme.reports(MARIA)
    assert (report.minutes, report.work_date, report.status) == (minutes, TUESDAY, "pending")
    assert report.shift_id is None  # no shift of hers on Tuesday


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("today", TUESDAY),
        ("oggi", TUESDAY),
        ("yesterday", date(2026, 12, 7)),
        ("ieri", date(2026, 12, 7)),
        ("2026-12-05", date(2026, 12, 5)),
        ("05/12", date(2026, 12, 5)),
    ],
)
async def test_every_date_form_logs_that_day(
    harness: BotHarness, programme: Programme, word: str, day: date
) -> None:
    await say(harness, MARIA, f"/hours 2 {word} orti")
    [report] = await programme.reports(MARIA)
    assert report.work_date == day


async def test_hours_on_the_day_of_a_shift_are_linked_to_it(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, MARIA, "/hours 3 05/12")
    assert "linked to your shift of that day" in reply["text"]
    [report] = await programme.reports(MARIA)
    assert report.shift_id == programme.shifts["orti-sat"]


async def test_day_and_month_in_early_january_mean_last_december(
    harness: BotHarness, programme: Programme
) -> None:
    harness.clock.set(datetime(2027, 1, 3, 10, 0, tzinfo=ROME))
    reply = await say(harness, MARIA, "/hours 2 30/12")
    assert "on Wed 30 Dec 2026" in reply["text"]
    [report] = await programme.reports(MARIA)
    assert report.work_date == date(2026, 12, 30)


@pytest.mark.parametrize(
    ("arguments", "explanation"),
    [
        ("0", "The duration must be more than 0."),
        ("-3", "The duration must be more than 0."),
        ("30h", "One report can be at most 12 hours."),
        ("abc", "Please write the duration like 2, 2.5, 2h30, 90m or 1:30."),
        ("2 2026-12-09", "That date is in the future"),
        ("2 tomorrow", "That date is in the future"),
        ("2 31/02", "That date does not exist."),
        ("2 2026-10-01", "Hours can be logged up to 60 days back."),
        ("2 08/12/2025", "Hours can be logged up to 60 days back."),
        ("2 nowhere", "None of your projects goes by that name."),
        ("2 spid-help", "None of your projects goes by that name."),
    ],
)
async def test_each_broken_rule_is_explained_and_nothing_saved(
    harness: BotHarness, programme: Programme, arguments: str, explanation: str
) -> None:
    reply = await say(harness, MARIA, f"/hours {arguments}")
    assert explanation in reply["text"]
    assert await programme.reports() == []


async def test_the_refusals_are_in_the_volunteers_language(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, MARIA, "/hours 30h", locale="it")
    assert "Una segnalazione può contenere al massimo 12 ore." in reply["text"]


async def test_people_outside_the_register_are_sent_to_volunteer(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, PIERO, "/hours 2")
    assert "/volunteer" in reply["text"] and "volunteer register" in reply["text"]
    reply = await say(harness, SARA, "/hours 2")
    assert "You do not belong to a project yet" in reply["text"]
    assert await programme.reports() == []


async def test_more_than_24_hours_on_one_day_is_refused(
    harness: BotHarness, programme: Programme
) -> None:
    await say(harness, LUCA, "/hours 12 ieri orti")
    await say(harness, LUCA, "/hours 11h30 ieri spid-help")
    reply = await say(harness, LUCA, "/hours 31m ieri orti")
    assert "more than 24 hours on one day" in reply["text"]
    another = await say(harness, LUCA, "/hours 30m ieri orti")
    await harness.press(LUCA, another, "➕ Yes, log them too")
    minutes = [report.minutes for report in await programme.reports(LUCA)]
    assert minutes == [720, 690, 30]


async def test_with_several_projects_the_bot_asks_which_then_saves(
    harness: BotHarness, programme: Programme
) -> None:
    question = await say(harness, LUCA, "/hours 2h ieri")
    assert question["text"] == "Which project are these hours for?"
    assert button_labels(question) == ["Shared gardens", "Ago, Filo e Spid (digital help)"]
    assert await programme.reports() == []
    await harness.press(LUCA, question, "Ago, Filo e Spid (digital help)")
    saved = harness.emulator.message(LUCA, question["message_id"])
    assert saved is not None and saved["text"].startswith(
        "✅ Logged 2 h for Ago, Filo e Spid (digital help)"
    )
    [report] = await programme.reports(LUCA)
    assert report.shift_id == programme.shifts["spid-mon"]
