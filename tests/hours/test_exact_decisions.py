"""A decision, a correction or a withdrawal applies to the report exactly as it was checked.

Whatever happens between the check and the write (another tutor's decision, the
volunteer's correction or withdrawal), nothing is written on figures nobody saw.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from bot.services.hours import reports, review
from bot.services.hours.reports import HoursError, Refusal, Rules, fingerprint
from bot.services.hours.review import ReviewError, ReviewRefusal
from bot.services.people.roles import Actor, Role
from handlers.shared.callbacks import HoursApproveShift
from storage.models import HourReport
from storage.repositories import hours as hours_repo
from tests.hours.tutor_notices import log_and_get_notices, notice
from tests.support.fixtures import ROME
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

SATURDAY = date(2026, 12, 5)


@pytest.fixture
async def tutors_ready(live_bot: LiveBot, load_catalog) -> tuple[LiveBot, Programme]:
    programme = await prepare(live_bot.sessions, load_catalog, live_bot.clock)
    await live_bot.say(TUTOR, "/start", language_code="en", first_name="Giulia")
    await live_bot.say(SECOND_TUTOR, "/start", language_code="it", first_name="Marco")
    return live_bot, programme


async def test_approve_all_refuses_a_list_corrected_since_it_was_shown(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    await log_and_get_notices(bot, LUCA, "/hours 2h30 05/12 orti")
    listing = await say(bot, TUTOR, "/approve")
    assert "✅ All of the same shift (1, 2)" in button_labels(listing)
    mine = await say(bot, MARIA, "/myhours")
    await bot.press(MARIA, mine, "✏️ Correct 1")
    await say(bot, MARIA, "8h")
    answer, _ = await bot.press(TUTOR, listing, "✅ All of the same shift (1, 2)")
    assert answer is not None
    assert answer["text"].startswith("These hours changed since the list was shown")
    assert {(r.telegram_id, r.status) for r in await programme.reports()} == {
        (MARIA, "pending"),
        (LUCA, "pending"),
    }
    shown = bot.emulator.message(TUTOR, listing["message_id"])
    assert (
        shown is not None
        and "Maria Rossi · Shared gardens · Sat 5 Dec 2026 · 8 h" in (shown["text"])
    )
    # The list as it is now can be approved whole.
    answer, _ = await bot.press(TUTOR, shown, "✅ All of the same shift (1, 2)")
    assert answer is not None and answer["text"] == "2 reports approved."
    assert {(r.minutes, r.status) for r in await programme.reports()} == {
        (480, "approved"),
        (150, "approved"),
    }


async def test_an_approve_all_button_of_an_earlier_version_approves_nothing(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    await log_and_get_notices(bot, LUCA, "/hours 2h30 05/12 orti")
    [anchor] = await bot.say(TUTOR, "/help", language_code="en")
    old = HoursApproveShift(shift_id=programme.shifts["orti-sat"]).pack()
    query = bot.emulator.user_sends_callback(TUTOR, old, message_id=anchor["message_id"])
    await bot.process()
    answer = bot.emulator.callback_answer(query)
    assert answer is not None
    assert answer["text"].startswith("These hours changed since the list was shown")
    assert {r.status for r in await programme.reports()} == {"pending"}
    shown = bot.emulator.message(TUTOR, anchor["message_id"])
    assert shown is not None and shown["text"].startswith("Hours to approve (2 in all)")


async def test_approve_all_is_refused_when_a_report_of_the_list_was_decided_meanwhile(
    tutors_ready: tuple[LiveBot, Programme],
) -> None:
    bot, programme = tutors_ready
    await log_and_get_notices(bot, MARIA, "/hours 3 05/12")
    await log_and_get_notices(bot, LUCA, "/hours 2h30 05/12 orti")
    listing = await say(bot, TUTOR, "/approve")
    seen = bot.emulator.bot_message_count(LUCA)
    async with programme.sessions() as session:
        [luca] = [r for r in await programme.reports() if r.telegram_id == LUCA]
        await review.reject_report(
            session,
            Actor(SECOND_TUTOR, frozenset({Role.TUTOR}), frozenset({luca.project_id})),
            luca.id,
            reason="Not on the shift",
            check=None,
            now=AFTER_THE_SHIFTS,
        )
    answer, _ = await bot.press(TUTOR, listing, "✅ All of the same shift (1, 2)")
    assert answer is not None and "nothing was approved" in answer["text"]
    assert {(r.telegram_id, r.status) for r in await programme.reports()} == {
        (MARIA, "pending"),
        (LUCA, "rejected"),
    }
    assert "have not been approved" in (await notice(bot, LUCA, seen))["text"]


# Races: something happens right after the service read the report, before it writes.

Concurrent = Callable[[], Awaitable[Any]]


def _after_the_read(monkeypatch: pytest.MonkeyPatch, concurrent: Concurrent) -> None:
    """The first read of a report is followed, once, by another person's committed action."""
    read = hours_repo.get_report
    done: list[bool] = []

    async def read_then_someone_acts(session: Any, report_id: int) -> HourReport | None:
        report = await read(session, report_id)
        if not done:
            done.append(True)
            await concurrent()
        return report

    monkeypatch.setattr(hours_repo, "get_report", read_then_someone_acts)


def _rules() -> Rules:
    return Rules(now=AFTER_THE_SHIFTS, zone=ROME, max_age_days=30)


async def _logged(harness: BotHarness, programme: Programme) -> HourReport:
    await harness.say(MARIA, "/hours 3 05/12", language_code="en", first_name="Maria")
    [report] = await programme.reports(MARIA)
    return report


def _tutor(report: HourReport) -> Actor:
    return Actor(TUTOR, frozenset({Role.TUTOR}), frozenset({report.project_id}))


async def _correct_to_eight_hours(harness: BotHarness, report: HourReport) -> None:
    async with harness.sessions() as other:
        await reports.edit_pending_report(
            other, MARIA, report.id, minutes=480, work_date=None, rules=_rules()
        )


async def _withdraw(harness: BotHarness, report: HourReport) -> None:
    async with harness.sessions() as other:
        await reports.withdraw_pending_report(other, MARIA, report.id)


async def _approve(harness: BotHarness, report: HourReport) -> None:
    async with harness.sessions() as other:
        await review.approve_report(
            other, _tutor(report), report.id, check=None, now=AFTER_THE_SHIFTS
        )


async def test_an_approval_racing_a_correction_approves_nothing(
    harness: BotHarness, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _logged(harness, programme)
    check = fingerprint(report.project_id, report.work_date, report.minutes)
    _after_the_read(monkeypatch, lambda: _correct_to_eight_hours(harness, report))
    async with harness.sessions() as session:
        with pytest.raises(ReviewError) as refused:
            await review.approve_report(
                session, _tutor(report), report.id, check=check, now=AFTER_THE_SHIFTS
            )
    assert refused.value.reason is ReviewRefusal.CHANGED
    [after] = await programme.reports(MARIA)
    assert (after.status, after.minutes, after.reviewed_by) == ("pending", 480, None)


async def test_a_rejection_racing_a_withdrawal_writes_nothing(
    harness: BotHarness, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _logged(harness, programme)
    _after_the_read(monkeypatch, lambda: _withdraw(harness, report))
    async with harness.sessions() as session:
        with pytest.raises(ReviewError) as refused:
            await review.reject_report(
                session,
                _tutor(report),
                report.id,
                reason="Too many hours",
                check=None,
                now=AFTER_THE_SHIFTS,
            )
    assert refused.value.reason is ReviewRefusal.UNKNOWN_REPORT
    assert await programme.reports(MARIA) == []


async def test_a_correction_racing_an_approval_changes_no_approved_figure(
    harness: BotHarness, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _logged(harness, programme)
    _after_the_read(monkeypatch, lambda: _approve(harness, report))
    async with harness.sessions() as session:
        with pytest.raises(HoursError) as refused:
            await reports.edit_pending_report(
                session, MARIA, report.id, minutes=480, work_date=None, rules=_rules()
            )
    assert refused.value.reason is Refusal.NOT_PENDING
    [after] = await programme.reports(MARIA)
    assert (after.status, after.minutes, after.work_date) == ("approved", 180, SATURDAY)


async def test_a_withdrawal_racing_an_approval_keeps_the_approved_report(
    harness: BotHarness, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _logged(harness, programme)
    _after_the_read(monkeypatch, lambda: _approve(harness, report))
    async with harness.sessions() as session:
        with pytest.raises(HoursError) as refused:
            await reports.withdraw_pending_report(session, MARIA, report.id)
    assert refused.value.reason is Refusal.NOT_PENDING
    [after] = await programme.reports(MARIA)
    assert (after.status, after.minutes) == ("approved", 180)


async def test_a_withdrawal_racing_a_correction_withdraws_nothing(
    harness: BotHarness, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = await _logged(harness, programme)
    _after_the_read(monkeypatch, lambda: _correct_to_eight_hours(harness, report))
    async with harness.sessions() as session:
        with pytest.raises(HoursError) as refused:
            await reports.withdraw_pending_report(session, MARIA, report.id)
    assert refused.value.reason is Refusal.CHANGED
    [after] = await programme.reports(MARIA)
    assert (after.status, after.minutes) == ("pending", 480)
