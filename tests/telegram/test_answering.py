"""Replies are retried on Telegram's 5xx by a middleware of their own, not as a side effect."""

from __future__ import annotations

from bot.runtime.metrics import MetricsMiddleware
from tests.support.harness import BotHarness

ANNA = 4501
HELP = "Here is what I can do:"


async def test_a_5xx_while_answering_is_retried_without_the_metrics_middleware(
    harness: BotHarness,
) -> None:
    middlewares = harness.dispatcher.update.outer_middleware
    [metrics] = [each for each in middlewares if isinstance(each, MetricsMiddleware)]
    middlewares.unregister(metrics)
    harness.emulator.fail_next("sendMessage", 502, "Bad Gateway")

    [reply] = await harness.say(ANNA, "/help", language_code="en")

    assert reply["text"].startswith(HELP)
    assert [call.ok for call in harness.emulator.calls_to("sendMessage")] == [False, True]
    assert harness.dispatcher["metrics"].updates == {}
