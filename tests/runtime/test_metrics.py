"""/metrics: what an operator's Prometheus scrapes after the bot handled some updates."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.outbox import queue as outbox
from bot.runtime.metrics import add_metrics_route
from tests.support.harness import BotHarness

ANNA = 4401
Scrape = Callable[[], Coroutine[Any, Any, dict[tuple[str, tuple[tuple[str, str], ...]], float]]]


@pytest.fixture
async def scrape(harness: BotHarness) -> AsyncIterator[Scrape]:
    app = add_metrics_route(web.Application(), harness.dispatcher["metrics"], harness.sessions)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/metrics"

    async def read() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        async with aiohttp.ClientSession() as client, client.get(url) as response:
            assert response.status == 200
            body = await response.text()
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body)
            for sample in family.samples
        }

    yield read
    await runner.cleanup()


async def test_updates_latency_and_errors_are_counted(harness: BotHarness, scrape: Scrape) -> None:
    [reply] = await harness.say(ANNA, "/help", language_code="en")
    harness.emulator.user_sends_callback(ANNA, "forged:data", message_id=reply["message_id"])
    harness.emulator.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await harness.say(ANNA, "/privacy", language_code="en")

    figures = await scrape()
    assert figures[("quartiere_updates_total", (("type", "message"),))] == 2
    assert figures[("quartiere_updates_total", (("type", "callback_query"),))] == 1
    assert figures[("quartiere_update_errors_total", (("error", "TelegramBadRequest"),))] == 1
    assert figures[("quartiere_handler_latency_seconds_count", ())] == 3
    assert figures[("quartiere_handler_latency_seconds_bucket", (("le", "+Inf"),))] == 3
    assert figures[("quartiere_handler_latency_seconds_sum", ())] > 0


async def test_outbox_figures_are_read_from_the_database_at_each_scrape(
    harness: BotHarness, scrape: Scrape
) -> None:
    pending = ("quartiere_outbox_deliveries", (("status", "pending"),))
    assert (await scrape())[pending] == 0
    now = harness.clock.now()
    async with harness.sessions() as session:
        for recipient in (ANNA, ANNA + 1):
            await outbox.queue(
                session,
                recipient_id=recipient,
                kind="notice",
                message_key="staff.appointed",
                params={},
                dedup_key=f"metrics:{recipient}",
                due_at=now + timedelta(hours=1),
                now=now,
            )
        await session.commit()
    figures = await scrape()
    assert figures[pending] == 2
    assert figures[("quartiere_outbox_deliveries", (("status", "sent"),))] == 0
    assert figures[("quartiere_outbox_deliveries", (("status", "failed"),))] == 0
