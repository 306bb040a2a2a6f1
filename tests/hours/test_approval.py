"""Tutors decide on hours: told of each report, approve or reject once, the volunteer told."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.shared.callbacks import HoursApproveList, HoursDecide
from tests.hours.tutor_notices import log_and_get_notices, notice
from tests.support.harness import LiveBot, button_labels
from tests.support.programme import (
    AFTER_THE_SHIFTS,
    LUCA,
    MARIA,
    SECOND_TUTOR,
    SPID_TUTOR,
    TUTOR,
    Programme,
    prepare,
    say,
)


@pytest.fixture
async def tutors_ready(live_bot: LiveBot, load_catalog) -> tuple[LiveBot, Programme]:
    programme = await prepare(live_bot.sessions, load_catalog, live_bot.clock)
    # Each has a chat with the bot, in their language.
    await live_bot.say(TUTOR, "/start", language_code="en", first_name="Giulia")
    await live_bot.say(SECOND_TUTOR, "/start", language_code="it", first_name="Marco")
    await live_bot.say(SPID_TUTOR, "/start", language_code="en", first_name="Anna")
    return live_bot, programme


async def test_each_tutor_is_told_of_a_new_report_in_their_language(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, _programme = tutors_ready
    first, second = await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    assert first["text"] == "🕒 Maria Rossi logged 3 h for Shared gardens on Sat 5 Dec 2026."
    assert button_labels(first) == ["✅ Approve", "❌ Reject"]
    assert second["text"].startswith("🕒 Maria Rossi ha segnalato 3 h per Orti condivisi")
    assert button_labels(second) == ["✅ Approva", "❌ Rifiuta"]


async def test_approval_is_recorded_and_the_volunteer_told_in_her_language(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    first, second = await log_and_get_notices(bot, MARIA, "/hours 3 05/12", locale="it")
    before = bot.emulator.bot_message_count(MARIA)
    answer, _ = await bot.press(TUTOR, first, "✅ Approve")
    assert answer is not None and answer["text"] == "Approved: Maria Rossi will be told."
    closed = bot.emulator.message(TUTOR, first["message_id"])
    assert closed is not None and closed["text"].endswith("✅ Approved.")
    assert button_labels(closed) == ["↩️ Undo"]
    told = await notice(bot, MARIA, before)
    assert told["text"].startswith(
        "✅ Approvate le tue ore per Orti condivisi: 3 h, sab 5 dic 2026"
    )
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by) == ("approved", TUTOR)
    assert report.reviewed_at == AFTER_THE_SHIFTS
    # The second tutor, pressing before their notice was edited, is told who decided
    # first; nothing changes.
    answer = await _press_as_shown(bot, SECOND_TUTOR, second)
    assert answer is not None and answer["text"].startswith("Già approvata da Giulia, 8 dic")
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by) == ("approved", TUTOR)


async def test_rejection_asks_a_reason_and_the_volunteer_gets_it(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    first, second = await log_and_get_notices(bot, MARIA, "/hours 4 05/12")
    _, [question] = await bot.press(TUTOR, first, "❌ Reject")
    assert question["text"].startswith(
        "You are rejecting 4 h of Maria Rossi for Shared gardens, Sat 5 Dec 2026: why?"
    )
    [report] = await programme.reports(MARIA)
    assert report.status == "pending"  # not before the reason
    before = bot.emulator.bot_message_count(MARIA)
    [done] = await bot.say(TUTOR, "The shift lasted 3 hours")
    assert done["text"].startswith("Not approved: Maria Rossi will be told, with your reason.")
    told = await notice(bot, MARIA, before)
    assert "have not been approved" in told["text"]
    assert "The tutor's reason: The shift lasted 3 hours" in told["text"]
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by, report.reject_reason) == (
        "rejected",
        TUTOR,
        "The shift lasted 3 hours",
    )
    answer = await _press_as_shown(bot, SECOND_TUTOR, second)
    assert answer is not None and answer["text"].startswith("Già rifiutata da Giulia")


async def _press_as_shown(bot: LiveBot, user: int, shown: dict[str, Any]) -> dict[str, Any] | None:
    """Presses Approve on the notice as it was first shown (the edit saying who decided
    may arrive after the press)."""
    [approve, _reject] = shown["reply_markup"]["inline_keyboard"][0]
    query = bot.emulator.user_sends_callback(
        user, approve["callback_data"], message_id=shown["message_id"]
    )
    await bot.process()
    return bot.emulator.callback_answer(query)


async def test_cancel_while_giving_a_reason_leaves_the_report_pending(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    first, _ = await log_and_get_notices(bot, MARIA, "/hours 4 05/12")
    await bot.press(TUTOR, first, "❌ Reject")
    [cancelled] = await bot.say(TUTOR, "/cancel")
    assert cancelled["text"] == "Cancelled. Nothing was saved."
    [report] = await programme.reports(MARIA)
    assert report.status == "pending"


async def test_a_forged_decision_from_a_non_tutor_is_refused_and_changes_nothing(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    [report] = await programme.reports(MARIA)
    check = HoursDecide.unpack(_decide_data(bot, TUTOR)).check  # what tutors were shown
    for intruder in (SPID_TUTOR, MARIA, LUCA):
        [anchor] = await bot.say(intruder, "/help", language_code="en")
        for action in ("approve", "reject"):
            data = HoursDecide(action=action, report_id=report.id, check=check).pack()
            query = bot.emulator.user_sends_callback(
                intruder, data, message_id=anchor["message_id"]
            )
            await bot.process()
            answer = bot.emulator.callback_answer(query)
            assert answer is not None
            assert answer["text"] == "Only the tutors of this project can decide on these hours."
        shift = HoursApproveList(shift_id=programme.shifts["orti-sat"], seen="AAAAAAAAAAA").pack()
        query = bot.emulator.user_sends_callback(intruder, shift, message_id=anchor["message_id"])
        await bot.process()
        assert "Only the tutors" in (bot.emulator.callback_answer(query) or {})["text"]
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by, report.reviewed_at) == ("pending", None, None)


def _decide_data(bot: LiveBot, tutor: int) -> str:
    last = bot.emulator.last_bot_message(tutor)
    return str(last["reply_markup"]["inline_keyboard"][0][0]["callback_data"])


async def test_approve_lists_pending_reports_and_approves_a_whole_shift(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12", locale="it")
    await log_and_get_notices(bot, LUCA, "/hours 2h30 05/12 orti")
    await say(bot, LUCA, "/hours 2 ieri spid-help")
    listing = await say(bot, TUTOR, "/approve")
    assert listing["text"].startswith("Hours to approve (2 in all)")
    assert "1. Maria Rossi · Shared gardens · Sat 5 Dec 2026 · 3 h" in listing["text"]
    assert "2. Luca Bianchi · Shared gardens · Sat 5 Dec 2026 · 2 h 30 min" in listing["text"]
    assert "digital help" not in listing["text"]  # another project's
    assert "✅ All of the same shift (1, 2)" in button_labels(listing)
    maria_seen = bot.emulator.bot_message_count(MARIA)
    luca_seen = bot.emulator.bot_message_count(LUCA)
    answer, _ = await bot.press(TUTOR, listing, "✅ All of the same shift (1, 2)")
    assert answer is not None and answer["text"] == "2 reports approved."
    shown = bot.emulator.message(TUTOR, listing["message_id"])
    assert shown is not None and shown["text"].startswith("Hours to approve: none left waiting")
    assert (
        "2. Luca Bianchi · Shared gardens · Sat 5 Dec 2026 · 2 h 30 min\n✅ approved by Giulia"
        in (shown["text"])
    )
    assert button_labels(shown) == ["↩️ Undo 1", "↩️ Undo 2"]
    assert (await notice(bot, MARIA, maria_seen))["text"].startswith("✅ Approvate le tue ore")
    assert (await notice(bot, LUCA, luca_seen))["text"].startswith("✅ Your 2 h 30 min")
    statuses = {(r.telegram_id, r.status) for r in await programme.reports()}
    assert statuses == {(MARIA, "approved"), (LUCA, "approved"), (LUCA, "pending")}


async def test_a_corrected_report_cannot_be_approved_from_the_old_notice(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    first, _ = await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    listing = await say(bot, MARIA, "/myhours")
    await bot.press(MARIA, listing, "✏️ Correct 1")
    seen = bot.emulator.bot_message_count(TUTOR)
    await say(bot, MARIA, "8h")
    corrected = await notice(bot, TUTOR, seen)
    assert corrected["text"].startswith("✏️ Maria Rossi corrected their hours")
    answer, _ = await bot.press(TUTOR, first, "✅ Approve")
    assert answer is not None and "has corrected this report since" in answer["text"]
    [report] = await programme.reports(MARIA)
    assert report.status == "pending"
    await bot.press(TUTOR, corrected, "✅ Approve")
    [report] = await programme.reports(MARIA)
    assert (report.status, report.minutes) == ("approved", 480)
