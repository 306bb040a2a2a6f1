"""/healthz in webhook mode: is Telegram delivering to this bot?"""

from __future__ import annotations

import asyncio

from bot.runtime.monitor import PollingMonitor
from bot.runtime.webhook import watch_deliveries
from tests.runtime.webhook.hook import SECRET, Hook


async def test_updates_are_reported_stalled_when_the_webhook_points_elsewhere(hook: Hook) -> None:
    bot = hook.harness.bot
    await bot.set_webhook(hook.url, secret_token=SECRET)
    monitor = PollingMonitor(allowed_silence=1.5)  # checks every second
    stop = asyncio.Event()
    watch = asyncio.create_task(watch_deliveries(bot, hook.url, monitor, stop))
    try:
        await asyncio.sleep(0.2)
        assert monitor.alive()
        await bot.set_webhook("https://elsewhere.example.org/hook", secret_token=SECRET)
        await asyncio.sleep(2.5)
        assert not monitor.alive()
        await bot.set_webhook(hook.url, secret_token=SECRET)
        await asyncio.sleep(1.2)
        assert monitor.alive()
    finally:
        stop.set()
        await watch
