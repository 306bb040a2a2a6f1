"""Privacy rights in the chat: the notice, /mydata, /forget, and nothing personal in the logs."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.cli.main import keep_personal_data_out_of_logs
from bot.services.figures import key_figures as figures
from bot.services.hours.reports import fingerprint
from bot.services.volunteering import shifts
from handlers.shared.callbacks import HoursDecide
from storage.models import (
    Delivery,
    HourReport,
    RegisterEntry,
    Signup,
    User,
    Volunteer,
)
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import BotHarness
from tests.support.programme import LUCA, MARIA, TUTOR
from tests.trust.trust import Trust

NAME, PHONE = "Maria Rossi", "3331234567"  # the register keeps it as +393331234567
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


async def _approve(trust: Trust) -> None:
    report = await trust.report()
    check = fingerprint(report.project_id, report.work_date, report.minutes)
    [anchor] = await trust.bot.say(TUTOR, "/help", language_code="en")
    data = HoursDecide(action="approve", report_id=report.id, check=check).pack()
    trust.bot.emulator.user_sends_callback(TUTOR, data, message_id=anchor["message_id"])
    await trust.bot.process()


async def _my_data(bot: BotHarness, user: int) -> dict[str, Any]:
    [reply] = await bot.say(user, "/mydata", language_code="en")
    today = bot.clock.now().astimezone(ROME).date()
    assert reply["document"]["file_name"] == f"my-data-quartiere-{today}.json"
    return json.loads(bot.emulator.file(reply["document"]["file_id"]).data)  # type: ignore[no-any-return]


@pytest.mark.parametrize("locale", ["it", "en"])
async def test_the_privacy_notice_fits_one_message_in_each_language(
    locale: str, harness: BotHarness
) -> None:
    [reply] = await harness.say(MARIA, "/privacy", language_code=locale)
    assert len(reply["text"]) < 4096
    assert "Comune di Reggio Emilia" in reply["text"]
    years = {"it": "2 anni", "en": "2 years"}[locale]
    assert "30" in reply["text"] and years in reply["text"]  # the retention periods
    assert "730" not in reply["text"], "retention in whole years is said in years"


async def test_mydata_holds_everything_stored_about_the_user(trust: Trust) -> None:
    await trust.bot.say(MARIA, "/hours", language_code="en")  # a conversation under way
    await trust.bot.say(MARIA, "/cancel", language_code="en")
    document = await _my_data(trust.bot, MARIA)
    assert document["telegram_id"] == MARIA
    assert document["profile"]["name"] == "Maria"
    register = document["volunteer_register"]
    assert (register["full_name"], register["phone"]) == (NAME, "+39" + PHONE)
    assert register["birth_date"] == "1990-05-17"
    assert [entry["action"] for entry in document["register_entries"]] == ["registered"]
    assert [(p["shift"], p["status"]) for p in document["places"]] == [("orti-sat", "confirmed")]
    [report] = document["hour_reports"]
    assert (report["project"], report["minutes"], report["status"]) == ("orti", 180, "pending")
    for key in ("certificates", "event_rsvps", "greenway_subscriptions", "conversation_state"):
        assert isinstance(document[key], list)
    assert isinstance(document["deliveries"], list)
    # Nobody else's data: the tutors' notices about her report are addressed to them.
    assert all(d["message"] != "hours.submitted" for d in document["deliveries"])


async def test_forget_asks_first_and_no_keeps_everything(trust: Trust) -> None:
    [question] = await trust.bot.say(MARIA, "/forget", language_code="en")
    assert "cannot be undone" in question["text"]
    answer, _ = await trust.bot.press(MARIA, question, "No, keep them")
    assert answer is not None and answer["text"] == "Nothing was erased."
    async with trust.bot.sessions() as session:
        assert await session.get(Volunteer, MARIA) is not None


async def test_forget_erases_pseudonymises_the_register_and_keeps_the_figures(
    trust: Trust,
) -> None:
    bot = trust.bot
    await _approve(trust)
    async with bot.sessions() as session:
        before = await figures.key_figures(session, *DECEMBER)
    [question] = await bot.say(MARIA, "/forget", language_code="en")
    answer, [told] = await bot.press(MARIA, question, "Yes, erase my data")
    assert answer is not None and answer["text"] == "Erased."
    assert "random code" in told["text"]
    assert "1 approved hour report remains only as an anonymous figure." in told["text"]
    async with bot.sessions() as session:
        assert await session.get(User, MARIA) is None
        assert await session.get(Volunteer, MARIA) is None
        for model in (RegisterEntry, HourReport, Signup):
            rows = await session.scalars(select(model).where(model.telegram_id == MARIA))
            assert list(rows) == [], model
        assert (
            list(await session.scalars(select(Delivery).where(Delivery.recipient_id == MARIA)))
            == []
        )
        [kept] = await session.scalars(select(Volunteer).where(Volunteer.telegram_id < 0))
        assert (kept.full_name, kept.phone, kept.birth_date) == ("—", "", date(1990, 1, 1))
        entries = list(
            await session.scalars(
                select(RegisterEntry)
                .where(RegisterEntry.telegram_id == kept.telegram_id)
                .order_by(RegisterEntry.id)
            )
        )
        assert [e.action for e in entries] == ["registered", "pseudonymised"]
        assert entries[-1].recorded_at == bot.clock.now()
        stored = repr([e.data for e in entries]) + repr(
            [d.params for d in await session.scalars(select(Delivery))]
        )
        assert NAME not in stored and PHONE not in stored
        [approved] = await session.scalars(
            select(HourReport).where(HourReport.telegram_id == kept.telegram_id)
        )
        assert approved.status == "approved"
        after = await figures.key_figures(session, *DECEMBER)
    assert (after.volunteers, after.minutes) == (before.volunteers, before.minutes)
    # Starting afresh: a new, empty profile.
    [welcome] = await bot.say(MARIA, "/start", language_code="en")
    assert welcome["text"].startswith("Hello")
    document = await _my_data(bot, MARIA)
    assert document["volunteer_register"] is None and document["hour_reports"] == []


async def test_staff_are_told_to_ask_the_operator(trust: Trust) -> None:
    [question] = await trust.bot.say(TUTOR, "/forget", language_code="en")
    answer, _ = await trust.bot.press(TUTOR, question, "Yes, erase my data")
    assert answer is not None and "operator" in answer["text"]


async def test_no_name_or_phone_reaches_the_logs(
    trust: Trust, caplog: pytest.LogCaptureFixture
) -> None:
    keep_personal_data_out_of_logs()  # as `quartiere-bot run` does
    caplog.set_level(logging.DEBUG)  # the most an operator can ask for
    # Set each one too: an earlier command run in this process may have quietened them.
    for name in ("aiogram", "aiogram.event", "bot", "handlers", "storage", "apscheduler"):
        caplog.set_level(logging.DEBUG, logger=name)
    bot = trust.bot
    await bot.say(MARIA, "/hours 2 06/12 orti", language_code="en")
    await _approve(trust)
    await _my_data(bot, MARIA)
    [question] = await bot.say(MARIA, "/forget", language_code="en")
    await bot.press(MARIA, question, "Yes, erase my data")
    assert caplog.records, "the flow logged nothing: the check would prove nothing"
    text = "\n".join(record.getMessage() for record in caplog.records)
    for personal in (NAME, "Rossi", PHONE, "1990-05-17"):
        assert personal not in text


async def test_forgetting_gives_up_upcoming_places_so_the_waitlist_moves_on(
    trust: Trust,
) -> None:
    bot = trust.bot
    bot.clock.set(TEST_NOW)  # before the Sunday shift, which has one place
    sunday = trust.programme.shifts["orti-sun"]
    async with bot.sessions() as session:
        await shifts.sign_up(session, MARIA, sunday, TEST_NOW)
    async with bot.sessions() as session:
        await shifts.sign_up(session, LUCA, sunday, TEST_NOW)
    [question] = await bot.say(MARIA, "/forget", language_code="en")
    await bot.press(MARIA, question, "Yes, erase my data")
    async with bot.sessions() as session:
        statuses = dict(
            (row.telegram_id, row.status)
            for row in await session.scalars(select(Signup).where(Signup.shift_id == sunday))
        )
    assert statuses == {LUCA: "confirmed"}
