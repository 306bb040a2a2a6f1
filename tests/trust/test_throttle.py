"""Flood control: a burst past the limit gets one polite message; buttons are still answered."""

from __future__ import annotations

from bot.telegram.throttle import LIMIT, ThrottleMiddleware
from handlers.shared.callbacks import LanguagePick
from tests.support.harness import BotHarness
from tests.support.programme import PIERO

FLOODER, CALM = 6100, 6200


def _throttle(harness: BotHarness) -> ThrottleMiddleware:
    throttle = harness.dispatcher["throttle"]
    assert isinstance(throttle, ThrottleMiddleware)
    assert throttle in list(harness.dispatcher.update.outer_middleware)  # it is wired in
    return throttle


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_burst_gets_one_slow_down_message_and_the_excess_is_dropped(
    harness: BotHarness,
) -> None:
    clock = _Clock()
    _throttle(harness).monotonic = clock
    for number in range(LIMIT + 10):
        harness.emulator.user_sends_text(FLOODER, f"/help {number}", language_code="en")
    harness.emulator.user_sends_text(CALM, "/help", language_code="en")
    await harness.process()
    replies = harness.emulator.bot_messages(FLOODER)
    assert len(replies) == LIMIT + 1
    assert [r["text"] for r in replies].count(replies[-1]["text"]) == 1
    assert replies[-1]["text"].startswith("You are sending a lot of messages at once.")
    assert len(harness.emulator.bot_messages(CALM)) == 1  # others are not slowed down
    # Still flooding: every button press is answered, briefly, and nothing else is sent.
    queries = [
        harness.emulator.user_sends_callback(
            FLOODER, LanguagePick(code="it").pack(), message_id=replies[0]["message_id"]
        )
        for _ in range(3)
    ]
    await harness.process()
    for query in queries:
        answer = harness.emulator.callback_answer(query)
        assert answer is not None and answer["text"] == "Slow down, please."
    assert len(harness.emulator.bot_messages(FLOODER)) == LIMIT + 1
    # Ten seconds later the user is served again, in their language.
    clock.now += 10.5
    [reply] = await harness.say(FLOODER, "/help", language_code="en")
    assert reply["text"].startswith("Here is what I can do")


async def test_the_slow_down_message_is_in_the_users_language(harness: BotHarness) -> None:
    _throttle(harness).monotonic = _Clock()
    for _ in range(LIMIT + 1):
        harness.emulator.user_sends_text(PIERO, "/help", language_code="it")
    await harness.process()
    last = harness.emulator.bot_messages(PIERO)[-1]
    assert last["text"].startswith("Stai inviando molti messaggi")
