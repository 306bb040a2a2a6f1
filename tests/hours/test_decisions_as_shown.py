"""Tutors' decisions go to the report they saw: /approve keeps its numbering after each
decision, every prompt names the report, and a decision can be taken back for 10 minutes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.services.hours import review
from bot.services.people.roles import Actor, Role
from storage.models import AuditEntry, Delivery
from tests.hours.tutor_notices import log_and_get_notices, notice
from tests.support.harness import BotHarness, LiveBot, button_labels
from tests.support.programme import (
    AFTER_THE_SHIFTS,
    LUCA,
    MARIA,
    SECOND_TUTOR,
    TUTOR,
    Programme,
    prepare,
    say,
)


@pytest.fixture
async def tutors_ready(live_bot: LiveBot, load_catalog) -> tuple[LiveBot, Programme]:
    programme = await prepare(live_bot.sessions, load_catalog, live_bot.clock)
    await live_bot.say(TUTOR, "/start", language_code="en", first_name="Giulia")
    await live_bot.say(SECOND_TUTOR, "/start", language_code="it", first_name="Marco")
    return live_bot, programme


async def test_rejecting_item_two_after_approving_item_one_rejects_the_report_shown_second(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    await log_and_get_notices(bot, LUCA, "/hours 2h30 05/12 orti")
    listing = await say(bot, TUTOR, "/approve")
    assert "1. Maria Rossi" in listing["text"] and "2. Luca Bianchi" in listing["text"]
    await bot.press(TUTOR, listing, "✅ Approve 1")
    shown = bot.emulator.message(TUTOR, listing["message_id"])
    assert shown is not None
    # The approved report keeps its place and number, saying who approved it.
    assert "1. Maria Rossi" in shown["text"] and "✅ approved by Giulia" in shown["text"]
    assert "2. Luca Bianchi" in shown["text"]
    assert button_labels(shown)[:3] == ["↩️ Undo 1", "✅ Approve 2", "❌ Reject 2"]
    _, [question] = await bot.press(TUTOR, shown, "❌ Reject 2")
    assert question["text"].startswith(
        "You are rejecting 2 h 30 min of Luca Bianchi for Shared gardens, Sat 5 Dec 2026: why?"
    )
    [done] = await bot.say(TUTOR, "Not on the shift")
    assert done["text"].startswith("Not approved: Luca Bianchi will be told")
    assert button_labels(done) == ["↩️ Undo"]
    assert {(r.telegram_id, r.status) for r in await programme.reports()} == {
        (MARIA, "approved"),
        (LUCA, "rejected"),
    }
    [luca] = await programme.reports(LUCA)
    assert luca.reject_reason == "Not on the shift"
    after = bot.emulator.message(TUTOR, listing["message_id"])
    assert after is not None and "❌ rejected by Giulia" in after["text"]
    assert button_labels(after)[:2] == ["↩️ Undo 1", "↩️ Undo 2"]


async def test_an_approval_undone_within_ten_minutes_is_pending_again_and_the_volunteer_told(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    first, _ = await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    before = bot.emulator.bot_message_count(MARIA)
    await bot.press(TUTOR, first, "✅ Approve")
    assert "have been approved" in (await notice(bot, MARIA, before))["text"]
    closed = bot.emulator.message(TUTOR, first["message_id"])
    assert closed is not None and button_labels(closed) == ["↩️ Undo"]
    bot.clock.set(AFTER_THE_SHIFTS + timedelta(minutes=9))
    told = bot.emulator.bot_message_count(MARIA)
    answer, _ = await bot.press(TUTOR, closed, "↩️ Undo")
    assert answer is not None
    assert answer["text"] == "Undone: the hours of Maria Rossi are waiting for a decision again."
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by, report.reviewed_at) == ("pending", None, None)
    # The notice is as it came, to be decided again.
    reopened = bot.emulator.message(TUTOR, first["message_id"])
    assert reopened is not None and reopened["text"] == first["text"]
    assert button_labels(reopened) == ["✅ Approve", "❌ Reject"]
    undone = await notice(bot, MARIA, told)
    assert undone["text"].startswith("↩️ The approval of your 3 h for Shared gardens")
    async with programme.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions[-1] == "hours.undone"
    # Decided again, the volunteer is told again.
    await bot.press(TUTOR, reopened, "✅ Approve")
    assert "have been approved" in (await notice(bot, MARIA, told + 1))["text"]


async def test_a_decision_cannot_be_undone_after_ten_minutes_nor_by_another_tutor(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    listing = await say(bot, TUTOR, "/approve")
    await bot.press(TUTOR, listing, "✅ Approve 1")
    other = await say(bot, SECOND_TUTOR, "/approve", "it")
    assert other["text"] == "Non ci sono ore in attesa della tua approvazione."
    bot.clock.set(AFTER_THE_SHIFTS + timedelta(minutes=11))
    shown = bot.emulator.message(TUTOR, listing["message_id"])
    assert shown is not None
    answer, _ = await bot.press(TUTOR, shown, "↩️ Undo 1")
    assert answer is not None and answer["text"].startswith("Too late to undo")
    [report] = await programme.reports(MARIA)
    assert (report.status, report.reviewed_by) == ("approved", TUTOR)


async def test_another_tutor_cannot_undo_a_decision(
    harness: BotHarness, programme: Programme
) -> None:
    await harness.say(MARIA, "/hours 3 05/12", language_code="en", first_name="Maria")
    [report] = await programme.reports(MARIA)
    projects = frozenset({report.project_id})
    async with harness.sessions() as session:
        await review.approve_report(
            session,
            Actor(TUTOR, frozenset({Role.TUTOR}), projects),
            report.id,
            check=None,
            now=AFTER_THE_SHIFTS,
        )
    async with harness.sessions() as session:
        with pytest.raises(review.ReviewError) as refused:
            await review.undo_decision(
                session,
                Actor(SECOND_TUTOR, frozenset({Role.TUTOR}), projects),
                report.id,
                now=AFTER_THE_SHIFTS,
            )
    assert refused.value.reason is review.ReviewRefusal.NOT_YOURS
    [report] = await programme.reports(MARIA)
    assert report.status == "approved"


async def test_undoing_before_the_volunteer_is_told_withdraws_the_notice(
    harness: BotHarness, programme: Programme
) -> None:
    await harness.say(MARIA, "/hours 3 05/12", language_code="en", first_name="Maria")
    [report] = await programme.reports(MARIA)
    tutor = Actor(TUTOR, frozenset({Role.TUTOR}), frozenset({report.project_id}))
    async with harness.sessions() as session:
        await review.approve_report(session, tutor, report.id, check=None, now=AFTER_THE_SHIFTS)
    async with harness.sessions() as session:
        await review.undo_decision(session, tutor, report.id, now=AFTER_THE_SHIFTS)
    async with harness.sessions() as session:
        await review.reject_report(
            session, tutor, report.id, reason="Wrong day", check=None, now=AFTER_THE_SHIFTS
        )
    async with harness.sessions() as session:
        told = list(
            await session.execute(
                select(Delivery.message_key, Delivery.status)
                .where(Delivery.recipient_id == MARIA)
                .order_by(Delivery.id)
            )
        )
    # Never told of the approval nor of its undoing: only of the decision that stands.
    assert [tuple(row) for row in told] == [
        ("hours.approved", "cancelled"),
        ("hours.rejected", "pending"),
    ]


async def test_the_other_tutors_notice_says_who_decided_and_comes_back_after_an_undo(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, _programme = tutors_ready
    first, second = await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    await _recorded_as_sent(bot, "hours.submitted", 2)
    await bot.press(TUTOR, first, "✅ Approve")

    def shown_to_second() -> dict[str, Any]:
        message = bot.emulator.message(SECOND_TUTOR, second["message_id"])
        assert message is not None
        return message

    await bot.emulator.wait_until(lambda: shown_to_second()["text"] != second["text"], timeout=10)
    closed = shown_to_second()
    assert closed["text"] == second["text"] + "\n\n✅ Approvata da Giulia."
    assert button_labels(closed) == []
    undo = bot.emulator.message(TUTOR, first["message_id"])
    assert undo is not None
    await bot.press(TUTOR, undo, "↩️ Undo")
    await bot.emulator.wait_until(lambda: button_labels(shown_to_second()) != [], timeout=10)
    reopened = shown_to_second()
    assert reopened["text"] == second["text"]
    assert button_labels(reopened) == ["✅ Approva", "❌ Rifiuta"]


async def _recorded_as_sent(bot: LiveBot, message_key: str, count: int) -> None:
    """The sender records a message as sent just after Telegram took it."""
    for _ in range(100):
        async with bot.sessions() as session:
            sent = list(
                await session.scalars(
                    select(Delivery.id).where(
                        Delivery.message_key == message_key, Delivery.status == "sent"
                    )
                )
            )
        if len(sent) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{message_key} not recorded as sent")
