"""Webhook fixture: the production dispatcher behind the receiver, fed over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.runtime.monitor import PollingMonitor
from bot.runtime.webhook import WebhookReceiver
from tests.runtime.webhook.hook import SECRET, Hook
from tests.support.harness import BotHarness


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
