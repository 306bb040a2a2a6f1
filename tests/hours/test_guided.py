"""/hours step by step, the one tap after a shift, and correcting or withdrawing a report."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.outbox import queue as outbox
from handlers.shared.callbacks import HoursFromShift
from storage.models import Delivery
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import LUCA, MARIA, PIERO, Programme, say


async def test_the_guided_flow_asks_project_day_duration_and_note_then_saves(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    question = await say(bot, LUCA, "/hours")
    assert question["text"] == "Which project are these hours for?"
    await bot.press(LUCA, question, "Shared gardens")
    day = bot.emulator.message(LUCA, question["message_id"])
    assert day is not None and button_labels(day) == ["Today", "Yesterday", "Another day"]
    await bot.press(LUCA, day, "Another day")
    [asked] = await bot.say(LUCA, "31/02")
    assert "That date does not exist" in asked["text"]
    duration = await say(bot, LUCA, "05/12")
    assert duration["text"].startswith("How long?")
    assert "more than 0" in (await say(bot, LUCA, "0"))["text"]
    note = await say(bot, LUCA, "2h45")
    assert button_labels(note) == ["Skip"]
    summary = await say(bot, LUCA, "Weeding & <watering>")
    assert "Project: Shared gardens" in summary["text"]
    assert "Day: Sat 5 Dec 2026" in summary["text"]
    assert "Duration: 2 h 45 min" in summary["text"]
    assert "Note: Weeding & <watering>" in summary["text"]  # escaped, so shown as typed
    assert await programme.reports() == []  # nothing before the last step
    await bot.press(LUCA, summary, "✅ Save")
    saved = bot.emulator.message(LUCA, summary["message_id"])
    assert saved is not None and saved["text"].startswith("✅ Logged 2 h 45 min")
    [report] = await programme.reports(LUCA)
    assert (report.minutes, report.work_date, report.note) == (
        165,
        date(2026, 12, 5),
        "Weeding & <watering>",
    )
    assert report.shift_id == programme.shifts["orti-sat"]


async def test_with_one_project_the_flow_starts_at_the_day_and_the_note_can_be_skipped(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    day = await say(bot, MARIA, "/hours", locale="it")
    assert button_labels(day) == ["Oggi", "Ieri", "Un altro giorno"]
    await bot.press(MARIA, day, "Ieri")
    note = await say(bot, MARIA, "1:30", locale="it")
    await bot.press(MARIA, note, "Salta")
    summary = bot.emulator.message(MARIA, note["message_id"])
    assert summary is not None and "Durata: 1 h 30 min" in summary["text"]
    await bot.press(MARIA, summary, "✅ Salva")
    [report] = await programme.reports(MARIA)
    assert (report.minutes, report.work_date, report.note) == (90, date(2026, 12, 7), None)


async def test_cancel_leaves_the_guided_flow_with_nothing_saved(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    day = await say(bot, MARIA, "/hours")
    await bot.press(MARIA, day, "Today")
    assert (await say(bot, MARIA, "/cancel"))["text"] == "Cancelled. Nothing was saved."
    reply = await say(bot, MARIA, "2h")
    assert "didn't understand" in reply["text"]  # the conversation is over
    assert await programme.reports() == []


async def test_the_summarys_cancel_button_saves_nothing(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    day = await say(bot, MARIA, "/hours")
    await bot.press(MARIA, day, "Today")
    note = await say(bot, MARIA, "2")
    await bot.press(MARIA, note, "Skip")
    summary = bot.emulator.message(MARIA, note["message_id"])
    assert summary is not None
    await bot.press(MARIA, summary, "Cancel")
    assert await programme.reports() == []


async def _nudge(bot: BotHarness, shift_id: int, user: int) -> str:
    """The reminders' "log your hours" notice, still waiting to be sent."""
    key = f"hours-nudge:shift:{shift_id}:user:{user}"
    now = bot.clock.now()
    async with bot.sessions() as session:
        await outbox.queue(
            session,
            recipient_id=user,
            kind="hours-nudge",
            message_key="hours.nudge",
            params={"shift_id": shift_id},
            dedup_key=key,
            due_at=now + timedelta(days=1),
            now=now,
        )
        await session.commit()
    return key


async def _status(bot: BotHarness, key: str) -> str | None:
    async with bot.sessions() as session:
        return await session.scalar(select(Delivery.status).where(Delivery.dedup_key == key))


async def test_one_tap_logs_the_shifts_hours_once_and_withdraws_the_nudge(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    shift_id = programme.shifts["orti-sat"]
    key = await _nudge(bot, shift_id, MARIA)
    [anchor] = await bot.say(MARIA, "/help", language_code="en")
    data = HoursFromShift(shift_id=shift_id).pack()
    query = bot.emulator.user_sends_callback(MARIA, data, message_id=anchor["message_id"])
    await bot.process()
    assert bot.emulator.callback_answer(query)["text"] == "Saved."  # type: ignore[index]
    confirmation = bot.emulator.last_bot_message(MARIA)
    assert confirmation["text"].startswith("✅ Logged 3 h for Shared gardens on Sat 5 Dec 2026.")
    [report] = await programme.reports(MARIA)
    assert (report.shift_id, report.minutes) == (shift_id, 180)
    assert await _status(bot, key) == "cancelled"
    again = bot.emulator.user_sends_callback(MARIA, data, message_id=anchor["message_id"])
    await bot.process()
    answer = bot.emulator.callback_answer(again)
    assert answer is not None and "already logged the hours of this shift" in answer["text"]
    assert len(await programme.reports(MARIA)) == 1


async def test_typed_hours_on_a_shifts_day_withdraw_its_nudge_too(
    harness: BotHarness, programme: Programme
) -> None:
    key = await _nudge(harness, programme.shifts["spid-mon"], LUCA)
    await say(harness, LUCA, "/hours 3 ieri spid-help")
    assert await _status(harness, key) == "cancelled"


async def test_one_tap_is_refused_to_those_without_a_place_or_before_the_end(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    [anchor] = await bot.say(PIERO, "/help", language_code="en")
    [mine] = await bot.say(MARIA, "/help", language_code="en")
    cases = [
        (PIERO, anchor, programme.shifts["orti-sat"], "volunteer register"),
        (MARIA, mine, programme.shifts["spid-mon"], "You had no place on this shift."),
    ]
    for user, message, shift_id, explanation in cases:
        data = HoursFromShift(shift_id=shift_id).pack()
        query = bot.emulator.user_sends_callback(user, data, message_id=message["message_id"])
        await bot.process()
        answer = bot.emulator.callback_answer(query)
        assert answer is not None and explanation in answer["text"]
    assert await programme.reports() == []


async def test_a_pending_report_is_corrected_and_withdrawn_from_myhours(
    harness: BotHarness, programme: Programme
) -> None:
    bot = harness
    await say(bot, MARIA, "/hours 2 ieri")
    listing = await say(bot, MARIA, "/myhours")
    assert "1. Mon 7 Dec 2026 · Shared gardens · 2 h" in listing["text"]
    assert button_labels(listing) == ["✏️ Correct 1", "↩️ Withdraw 1", "Certificate of hours"]
    _, [prompt] = await bot.press(MARIA, listing, "✏️ Correct 1")
    assert "Write the correct duration" in prompt["text"]
    assert "at most 12 hours" in (await say(bot, MARIA, "13h"))["text"]
    corrected = await say(bot, MARIA, "3h15 05/12")
    assert corrected["text"].startswith("✏️ Corrected: 3 h 15 min on Sat 5 Dec 2026")
    [report] = await programme.reports(MARIA)
    assert (report.minutes, report.work_date, report.status) == (195, date(2026, 12, 5), "pending")
    assert report.shift_id == programme.shifts["orti-sat"]
    listing = await say(bot, MARIA, "/myhours")
    answer, _ = await bot.press(MARIA, listing, "↩️ Withdraw 1")
    assert answer is not None and answer["text"] == "Withdrawn."
    assert await programme.reports() == []
    shown = bot.emulator.message(MARIA, listing["message_id"])
    assert shown is not None and "You have not logged any hours yet" in shown["text"]
