"""Telegram failing while the bot answers: 5xx and timeouts retried within bounds, 4xx never."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import GetMe

from bot.runtime.app import create_bot
from bot.telegram.faults import TelegramFaults, answering
from tests.support.harness import BotHarness
from tests.support.session import EmulatedSession

ANNA = 4201
HELP = "Here is what I can do:"
APOLOGY = "Sorry, something went wrong on my side."


def sends(harness: BotHarness) -> list[Any]:
    return harness.emulator.calls_to("sendMessage")


async def test_a_5xx_while_answering_is_retried_and_the_user_gets_the_answer(
    harness: BotHarness,
) -> None:
    harness.emulator.fail_next("sendMessage", 502, "Bad Gateway")
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    assert reply["text"].startswith(HELP)
    assert [call.ok for call in sends(harness)] == [False, True]


async def test_repeated_5xx_are_given_up_after_three_tries_and_the_user_gets_an_apology(
    harness: BotHarness,
) -> None:
    harness.emulator.fail_next("sendMessage", 500, "Internal Server Error", times=3)
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    assert reply["text"].startswith(APOLOGY)
    assert [call.ok for call in sends(harness)] == [False, False, False, True]
    assert harness.dispatcher["metrics"].errors == {"TelegramServerError": 1}


async def test_a_4xx_while_answering_is_not_retried(harness: BotHarness) -> None:
    harness.emulator.fail_next("sendMessage", 400, "Bad Request: chat not found")
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    assert reply["text"].startswith(APOLOGY)
    assert [call.ok for call in sends(harness)] == [False, True]


async def test_calls_outside_an_update_are_left_to_their_own_retry_policy(
    harness: BotHarness,
) -> None:
    harness.emulator.register_user(ANNA)
    harness.emulator.fail_next("sendMessage", 502, "Bad Gateway")
    with pytest.raises(TelegramServerError):
        await harness.bot.send_message(ANNA, "a notice from the outbox")
    assert len(sends(harness)) == 1


class Stalling:
    """Stands for a Bot API server that does not answer the first `stalls` requests."""

    def __init__(self, stalls: int) -> None:
        self.stalls = stalls
        self.calls = 0

    async def __call__(self, bot: Any, method: Any) -> Any:
        self.calls += 1
        if self.calls <= self.stalls:
            await asyncio.sleep(3600)
        return "answered"


async def test_a_timeout_is_retried_within_the_time_budget() -> None:
    faults = TelegramFaults(first_delay=0.01, attempt_timeout=0.1, budget=5)
    server = Stalling(stalls=1)
    with answering():
        assert await faults(server, None, GetMe()) == "answered"  # type: ignore[arg-type]
    assert server.calls == 2


async def test_timeouts_stop_being_retried_when_the_budget_is_spent() -> None:
    faults = TelegramFaults(attempts=10, first_delay=0.05, attempt_timeout=0.1, budget=0.5)
    server = Stalling(stalls=100)
    started = time.monotonic()
    with answering(), pytest.raises(TelegramNetworkError):
        await faults(server, None, GetMe())  # type: ignore[arg-type]
    assert time.monotonic() - started < 1.0
    assert 2 <= server.calls < 10


async def test_a_revoked_token_is_reported_once_whatever_call_meets_it(
    harness: BotHarness,
) -> None:
    reported: list[str] = []
    faults = TelegramFaults()
    faults.on_unauthorized = lambda: reported.append("revoked")
    bot = create_bot(harness.settings, session=EmulatedSession(harness.emulator), faults=faults)
    assert (await bot.get_me()).id == harness.emulator.bot.id
    harness.emulator.token = "123:another-token"  # the operator revoked it at @BotFather
    for _ in range(2):
        with pytest.raises(Exception, match="Unauthorized"):
            await bot.get_me()
    assert faults.revoked and reported == ["revoked"]
