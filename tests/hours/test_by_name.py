"""/hours by name: a project found by a word of its title, asked when unclear, and a day's
second report, a shift still under way and the days before joining handled with care."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from storage.models import Project
from tests.support.fixtures import ROME
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import LUCA, MARIA, Programme, say

YESTERDAY = date(2026, 12, 7)
BOTH = ["Shared gardens", "Ago, Filo e Spid (digital help)"]


@pytest.mark.parametrize(
    ("text", "locale", "code"),
    [
        ("/hours 2h30 ieri orti", "it", "orti"),
        ("/hours 2h30 ieri Condivisi", "it", "orti"),
        ("/hours 2 yesterday gardens", "en", "orti"),
        ("/hours 2 yesterday the shared GARDENS", "en", "orti"),
        ("/hours 2 ore ieri spid", "it", "spid-help"),
        ("/hours 2 hours yesterday digital", "en", "spid-help"),
        ("/hours 2 ieri spid-help", "it", "spid-help"),
    ],
)
async def test_a_project_is_found_by_a_word_of_its_title_or_its_code(
    harness: BotHarness, programme: Programme, text: str, locale: str, code: str
) -> None:
    reply = await say(harness, LUCA, text, locale=locale)
    assert reply["text"].startswith("✅")
    [report] = await programme.reports(LUCA)
    assert report.project_id == await programme_project(programme, code)
    assert report.work_date == YESTERDAY


async def programme_project(programme: Programme, code: str) -> int:
    async with programme.sessions() as session:
        return int(await session.scalar(select(Project.id).where(Project.code == code)) or 0)


async def test_unit_words_are_never_read_as_a_project(
    harness: BotHarness, programme: Programme
) -> None:
    saved = await say(harness, MARIA, "/hours 2 ore oggi", locale="it")
    assert "Orti condivisi" in saved["text"]
    question = await say(harness, LUCA, "/hours 2 hours today")
    assert question["text"] == "Which project are these hours for?"
    assert button_labels(question) == BOTH


async def test_a_name_that_fits_no_project_offers_the_volunteers_own(
    harness: BotHarness, programme: Programme
) -> None:
    question = await say(harness, LUCA, "/hours 2 ieri nowhere")
    assert question["text"].startswith("None of your projects goes by that name.")
    assert button_labels(question) == BOTH
    assert await programme.reports() == []
    await harness.press(LUCA, question, "Shared gardens")
    saved = harness.emulator.message(LUCA, question["message_id"])
    assert saved["text"].startswith("✅ Logged 2 h for Shared gardens on Mon 7 Dec 2026.")
    [report] = await programme.reports(LUCA)
    assert report.work_date == YESTERDAY


async def test_a_second_report_on_the_same_day_and_project_asks_first(
    harness: BotHarness, programme: Programme
) -> None:
    await say(harness, MARIA, "/hours 2 ieri")
    question = await say(harness, MARIA, "/hours 2 ieri")
    assert question["text"] == (
        "You have already logged hours for Shared gardens on Mon 7 Dec 2026. "
        "Are these 2 h for another activity?"
    )
    assert len(await programme.reports(MARIA)) == 1
    await harness.press(MARIA, question, "No, cancel")
    assert len(await programme.reports(MARIA)) == 1
    question = await say(harness, MARIA, "/hours 1 ieri orti")
    await harness.press(MARIA, question, "➕ Yes, log them too")
    assert [r.minutes for r in await programme.reports(MARIA)] == [120, 60]
    other_day = await say(harness, MARIA, "/hours 1 oggi")
    assert other_day["text"].startswith("✅")


async def test_a_report_joins_a_shift_only_once_the_shift_is_over(
    harness: BotHarness, programme: Programme
) -> None:
    harness.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=ROME))  # the shift runs 9 to 12
    reply = await say(harness, MARIA, "/hours 1 oggi")
    assert "linked to your shift" not in reply["text"]
    [report] = await programme.reports(MARIA)
    assert report.shift_id is None


async def test_no_hours_before_joining_the_register(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, MARIA, "/hours 2 01/12")
    assert reply["text"] == (
        "You joined the volunteer register on Wed 2 Dec 2026: hours can be logged from that day on."
    )
    reply = await say(harness, MARIA, "/hours 2 01/12", locale="it")
    assert "2 dic 2026" in reply["text"]
    assert await programme.reports() == []


async def test_the_guided_flow_asks_before_a_second_report_on_the_same_day(
    harness: BotHarness, programme: Programme
) -> None:
    await say(harness, MARIA, "/hours 2 ieri")
    day = await say(harness, MARIA, "/hours")
    await harness.press(MARIA, day, "Yesterday")
    await say(harness, MARIA, "1h30")
    summary = await say(harness, MARIA, "Watering")
    await harness.press(MARIA, summary, "✅ Save")
    question = harness.emulator.message(MARIA, summary["message_id"])
    assert question["text"].endswith("Are these 1 h 30 min for another activity?")
    assert len(await programme.reports(MARIA)) == 1
    await harness.press(MARIA, question, "➕ Yes, log them too")
    saved = harness.emulator.message(MARIA, summary["message_id"])
    assert saved["text"].startswith("✅ Logged 1 h 30 min for Shared gardens")
    assert [(r.minutes, r.note) for r in await programme.reports(MARIA)] == [
        (120, None),
        (90, "Watering"),
    ]
