"""The production dispatcher behind the webhook receiver, fed by the emulator over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.runtime.monitor import PollingMonitor
from bot.runtime.webhook import WebhookReceiver
from tests.support.harness import BotHarness

SECRET = "s3cret_Token-1"


@dataclass
class Hook:
    harness: BotHarness
    receiver: WebhookReceiver
    url: str


@pytest.fixture
async def hook(harness: BotHarness) -> AsyncIterator[Hook]:
    """The receiver listening on 127.0.0.1; the webhook is not registered yet."""
    receiver = WebhookReceiver(harness.bot, harness.dispatcher, SECRET, PollingMonitor(60))
    runner = web.AppRunner(receiver.application("/telegram/webhook"), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield Hook(harness, receiver, f"http://127.0.0.1:{port}/telegram/webhook")
    finally:
        await harness.emulator.webhook.disable()
        await runner.cleanup()
