"""Quick people under Telegram's per-chat limit (three messages at once, then one a second).

Every flow reaches its end: the bot waits out each 429 instead of failing the update, so
nobody is left without the next question and nobody gets an apology or an error logged.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from handlers.shared.callbacks import RegisterAnswer
from storage.models import Volunteer
from tests.e2e.volunteering import open_card, register
from tests.support.harness import LiveBot, button_labels
from tests.support.programme import LUCA, MARIA, TUTOR, prepare

APOLOGY = "Sorry, something went wrong"
NEWCOMER, SECOND, THIRD = 811, 812, 813
SUNDAY = "Join: Sun 6 Dec, 09:00–12:00"


def texts(bot: LiveBot, user: int) -> list[str]:
    messages = bot.emulator.bot_messages(user, include_deleted=True)
    return [message.get("text") or message.get("caption") or "" for message in messages]


def assert_calm(bot: LiveBot, users: tuple[int, ...], caplog: pytest.LogCaptureFixture) -> None:
    """No apology in any chat, no error logged, and the per-chat limit was met on the way."""
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    for user in users:
        assert not [text for text in texts(bot, user) if APOLOGY in text]
    assert bot.emulator.too_many_requests > 0, "the flow never met the per-chat limit"


async def wait_for_text(bot: LiveBot, user: int, part: str) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        messages = bot.emulator.bot_messages(user)
        return next((m for m in messages if part in (m.get("text") or "")), None)

    await bot.emulator.wait_until(found, timeout=20)
    message = found()
    assert message is not None
    return message


@pytest.fixture
async def projects_loaded(live_bot: LiveBot, load_catalog) -> LiveBot:
    await load_catalog("projects.yaml")
    return live_bot


async def test_every_register_prompt_answered_at_once_reaches_the_end(
    projects_loaded: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot, emulator = projects_loaded, projects_loaded.emulator
    card = await open_card(bot, NEWCOMER, "Shared gardens")
    _, [residence] = await bot.press(NEWCOMER, card, "Join: Sat 5 Dec, 09:00–12:00")
    yes = RegisterAnswer(answer="yes").pack()  # "Yes" to the residence, then "I agree"
    emulator.user_sends_callback(NEWCOMER, yes, message_id=residence["message_id"])
    emulator.user_sends_text(NEWCOMER, "Maria Rossi")
    emulator.user_sends_text(NEWCOMER, "24/05/1980")
    emulator.user_sends_contact(NEWCOMER, "+39 333 1234567")
    consent = await wait_for_text(bot, NEWCOMER, "Do you agree to join the register")
    emulator.user_sends_callback(NEWCOMER, yes, message_id=consent["message_id"])
    await bot.process()
    await wait_for_text(bot, NEWCOMER, "Your place is confirmed.")
    done = emulator.message(NEWCOMER, consent["message_id"])
    assert done is not None and done["text"].startswith("You are in the volunteer register.")
    async with bot.sessions() as session:
        volunteer = await session.get(Volunteer, NEWCOMER)
    assert volunteer is not None and volunteer.phone == "+393331234567"
    assert_calm(bot, (NEWCOMER,), caplog)


async def test_sign_up_with_the_waitlist_completes_for_everyone(
    projects_loaded: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = projects_loaded
    replies: list[dict[str, Any]] = []
    for user in (NEWCOMER, SECOND, THIRD):
        card = await open_card(bot, user, "Shared gardens")
        replies = await register(bot, user, card, SUNDAY, "01/02/1990")
    assert "On the waitlist, position 2." in replies[-1]["text"]
    [places] = await bot.say(NEWCOMER, "/shifts")
    before = bot.emulator.bot_message_count(SECOND)
    await bot.press(NEWCOMER, places, "❌ Cancel 1")
    await bot.press(NEWCOMER, places, "Yes, I'm leaving the shift")
    promoted = await bot.emulator.wait_for_bot_message(SECOND, after=before, timeout=10)
    assert promoted["text"].startswith("Good news: a place has become free")
    assert_calm(bot, (NEWCOMER, SECOND, THIRD), caplog)


@pytest.fixture
async def hours_programme(live_bot: LiveBot, load_catalog) -> LiveBot:
    await prepare(live_bot.sessions, load_catalog, live_bot.clock)
    return live_bot


async def test_hours_in_one_message_then_the_tutors_approval_completes(
    hours_programme: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot, emulator = hours_programme, hours_programme.emulator
    await bot.say(TUTOR, "/start", language_code="en")
    seen = emulator.bot_message_count(TUTOR)
    for text in ("/start", "/help", "/hours 3 05/12", "/myhours"):  # one after the other
        emulator.user_sends_text(MARIA, text, language_code="en")
    await bot.process()
    logged = await wait_for_text(bot, MARIA, "Logged")
    assert "3 h" in logged["text"]
    notice = await emulator.wait_for_bot_message(TUTOR, after=seen, timeout=10)
    told = emulator.bot_message_count(MARIA)
    answer, _ = await bot.press(TUTOR, notice, "✅ Approve")
    assert answer is not None and answer["text"] == "Approved: Maria Rossi will be told."
    approved = await emulator.wait_for_bot_message(MARIA, after=told, timeout=10)
    assert approved["text"].startswith("✅ Your 3 h for Shared gardens")
    assert_calm(bot, (MARIA, TUTOR), caplog)


async def test_the_approval_list_completes_under_quick_reports(
    hours_programme: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot, emulator = hours_programme, hours_programme.emulator
    await bot.say(TUTOR, "/start", language_code="en")
    for user, text in ((MARIA, "/hours 3 05/12"), (LUCA, "/hours 2h30 05/12 orti")):
        for command in ("/start", "/help", text):
            emulator.user_sends_text(user, command, language_code="en")
    await bot.process()
    await wait_for_text(bot, MARIA, "Logged")
    await wait_for_text(bot, LUCA, "Logged")
    # The two reports reached the tutor as notices; the tutor opens the list at once.
    await emulator.wait_until(lambda: emulator.bot_message_count(TUTOR) >= 3, timeout=10)
    for command in ("/start", "/help", "/settings", "/approve"):
        emulator.user_sends_text(TUTOR, command, language_code="en")
    await bot.process()
    listing = await wait_for_text(bot, TUTOR, "Hours to approve (2 in all)")
    answer, _ = await bot.press(TUTOR, listing, "✅ All of the same shift (1, 2)")
    assert answer is not None and answer["text"] == "2 reports approved."
    shown = emulator.message(TUTOR, listing["message_id"])
    assert shown is not None and shown["text"].startswith("Hours to approve: none left waiting.")
    assert "✅ All of the same shift (1, 2)" not in button_labels(shown)
    assert_calm(bot, (MARIA, LUCA, TUTOR), caplog)
