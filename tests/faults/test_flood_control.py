"""Flood control while answering: a 429 waited out within the update's budget, beyond it
the reply queued in the outbox, a callback answer dropped rather than the update failed."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.outbox import queue as outbox
from storage.models import Delivery, DeliveryStatus, User
from tests.support.harness import BotHarness, LiveBot

ANNA = 4301
HELP = "Here is what I can do:"
APOLOGY = "Sorry, something went wrong on my side."


def refuse(emulator: Any, method: str, seconds: int, times: int = 1) -> None:
    description = f"Too Many Requests: retry after {seconds}"
    emulator.fail_next(method, 429, description, retry_after=seconds, times=times)


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


async def test_a_429_within_the_budget_is_waited_out_and_the_reply_arrives(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    refuse(harness.emulator, "sendMessage", 12, times=2)  # 24 s of the update's 30
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    assert reply["text"].startswith(HELP)
    assert [call.ok for call in harness.emulator.calls_to("sendMessage")] == [False, False, True]
    assert errors(caplog) == []


async def test_the_apology_waits_out_flood_control_too(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.emulator.fail_next("sendMessage", 400, "Bad Request: chat not found")
    refuse(harness.emulator, "sendMessage", 5)
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    assert reply["text"].startswith(APOLOGY)


async def test_a_callback_answer_that_cannot_go_within_ten_seconds_is_dropped(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    [question] = await harness.say(ANNA, "/language", language_code="it")
    refuse(harness.emulator, "answerCallbackQuery", 6, times=2)  # the second wait passes 10 s
    answer, _ = await harness.press(ANNA, question, "🇬🇧 English")
    assert answer is None
    assert harness.emulator.message(ANNA, question["message_id"])["text"] == (
        "Language set: 🇬🇧 English."
    )
    assert len(harness.emulator.calls_to("answerCallbackQuery")) == 2
    assert errors(caplog) == []
    assert not any(APOLOGY in m["text"] for m in harness.emulator.bot_messages(ANNA))
    # The client gave up on its spinner; the check at the end wants every press answered.
    [query] = harness.emulator.unanswered_callback_queries()
    await harness.bot.answer_callback_query(query)


async def deliveries(bot: LiveBot) -> list[Delivery]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


async def test_a_reply_held_past_the_budget_goes_through_the_outbox_first_of_all(
    live_bot: LiveBot, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = live_bot.emulator
    refuse(emulator, "sendMessage", 45)
    emulator.user_sends_text(ANNA, "/help", language_code="en")
    await live_bot.process()
    reply = await emulator.wait_for_bot_message(ANNA, timeout=10)
    assert reply["text"].startswith(HELP)
    [held] = await deliveries(live_bot)
    assert (held.kind, held.priority, held.recipient_id) == ("reply", outbox.REPLY, ANNA)
    assert held.priority < outbox.URGENT
    await emulator.wait_until(lambda: emulator.bot_message_count(ANNA) == 1)
    assert errors(caplog) == []


async def test_replies_after_a_held_one_queue_behind_it_and_keep_their_order(
    live_bot: LiveBot,
) -> None:
    emulator = live_bot.emulator
    refuse(emulator, "sendMessage", 45)
    for command in ("/help", "/start"):
        emulator.user_sends_text(ANNA, command, language_code="en")
    await live_bot.process()
    await emulator.wait_until(lambda: emulator.bot_message_count(ANNA) == 2, timeout=10)
    first, second = emulator.bot_messages(ANNA)
    assert first["text"].startswith(HELP) and second["text"].startswith("Hello")
    assert [row.kind for row in await deliveries(live_bot)] == ["reply", "reply"]


async def test_the_time_of_the_last_answer_is_kept_for_the_outbox_and_shown_in_mydata(
    harness: BotHarness,
) -> None:
    await harness.say(ANNA, "/help", language_code="en")

    async def noted() -> User | None:
        async with harness.sessions() as session:
            return await session.get(User, ANNA)

    for _ in range(100):  # written within a fraction of a second, with others' replies
        user = await noted()
        if user is not None and user.last_reply_at is not None:
            break
        await asyncio.sleep(0.05)
    assert user is not None and user.last_reply_at is not None
    [reply] = await harness.say(ANNA, "/mydata", language_code="en")
    data = json.loads(harness.emulator.file(reply["document"]["file_id"]).data)
    assert data["profile"]["last_answered"] == user.last_reply_at.isoformat()


async def test_an_edit_held_past_the_budget_arrives_as_a_new_message(live_bot: LiveBot) -> None:
    emulator = live_bot.emulator
    [question] = await live_bot.say(ANNA, "/language", language_code="it")
    refuse(emulator, "editMessageText", 45)
    await live_bot.press(ANNA, question, "🇬🇧 English")
    await emulator.wait_until(lambda: emulator.bot_message_count(ANNA) == 2, timeout=10)
    assert emulator.last_bot_message(ANNA)["text"] == "Language set: 🇬🇧 English."
    assert emulator.message(ANNA, question["message_id"])["text"] == question["text"]


async def test_a_file_held_past_the_budget_is_asked_for_again(live_bot: LiveBot) -> None:
    emulator = live_bot.emulator
    refuse(emulator, "sendDocument", 45)
    emulator.user_sends_text(ANNA, "/mydata", language_code="en")
    await live_bot.process()
    later = await emulator.wait_for_bot_message(ANNA, timeout=10)
    assert later["text"] == (
        "Telegram asked me to slow down, so I could not send you the file. "
        "Please ask for it again in a minute."
    )
    # Once the outbox has noted it sent, nothing is held back: the file comes at once.
    for _ in range(100):
        if all(row.status == DeliveryStatus.SENT for row in await deliveries(live_bot)):
            break
        await asyncio.sleep(0.05)
    [reply] = await live_bot.say(ANNA, "/mydata", language_code="en")
    assert reply["document"]["file_name"].startswith("my-data-quartiere-")


async def test_stopping_the_bot_writes_the_last_answer_at_once_and_leaves_no_write_running(
    harness: BotHarness,
) -> None:
    await harness.say(ANNA, "/help", language_code="en")
    await harness.dispatcher.emit_shutdown()  # what the bot does as it stops

    async with harness.sessions() as session:
        user = await session.get(User, ANNA)
    assert user is not None and user.last_reply_at is not None
    running = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    assert running == []
