"""Webhook mode: an update cut off by UPDATE_TIME_LIMIT is answered 200, never delivered again."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.telegram.time_limit import TimeLimitMiddleware
from tests.runtime.webhook.hook import SECRET, Hook

ANNA = 4121
LIMIT = 1.0  # seconds; the setting refuses less than 30, so the test sets it directly
APOLOGY = "Sorry, something went wrong on my side. Please try again"


async def test_a_stuck_delivery_is_apologised_for_and_answered_once(
    hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness, emulator = hook.harness, hook.harness.emulator
    [limit] = [
        m
        for m in harness.dispatcher.update.outer_middleware[:]
        if isinstance(m, TimeLimitMiddleware)
    ]
    monkeypatch.setattr(limit, "seconds", LIMIT)
    storage = harness.dispatcher.fsm.storage

    async def stuck(*_: Any, **__: Any) -> None:
        await asyncio.Event().wait()

    # /start clears the conversation state: here that never returns.
    monkeypatch.setattr(storage, "set_state", stuck)
    assert await harness.bot.set_webhook(hook.url, secret_token=SECRET)
    emulator.user_sends_text(ANNA, "/start", language_code="en", first_name="Anna")

    apology = await emulator.wait_for_bot_message(ANNA)
    assert apology["text"].startswith(APOLOGY)
    await emulator.wait_until(lambda: emulator.webhook_info()["pending_update_count"] == 0)
    assert "last_error_message" not in emulator.webhook_info()  # answered 200

    monkeypatch.undo()
    emulator.user_sends_text(ANNA, "/start", language_code="en", first_name="Anna")
    greeting = await emulator.wait_for_bot_message(ANNA, after=1)
    assert greeting["text"].startswith("Hello Anna!")
    assert emulator.bot_message_count(ANNA) == 2  # the stuck one was not handled again
