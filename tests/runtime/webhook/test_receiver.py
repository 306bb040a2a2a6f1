"""Webhook mode in process: the secret, repeated deliveries, per-user order and draining."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from bot.runtime.webhook import SECRET_HEADER
from tests.runtime.webhook.hook import SECRET, Hook

ANNA, BRUNO = 4101, 4102


async def post(url: str, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as client,
        client.post(url, json=update, headers=headers) as response,
    ):
        return response.status


def queued_updates(hook: Hook) -> list[dict[str, Any]]:
    """What the users produced while no webhook was set, taken off Telegram's queue."""
    updates = hook.harness.emulator.pending_updates()
    hook.harness.emulator.updates.clear()
    return updates


async def test_deliveries_with_the_secret_are_handled_and_confirmed(hook: Hook) -> None:
    emulator = hook.harness.emulator
    assert await hook.harness.bot.set_webhook(hook.url, secret_token=SECRET)
    emulator.user_sends_text(ANNA, "/start", language_code="en", first_name="Anna")
    greeting = await emulator.wait_for_bot_message(ANNA)
    assert greeting["text"].startswith("Hello Anna!")
    await emulator.wait_until(lambda: emulator.webhook_info()["pending_update_count"] == 0)
    assert "last_error_message" not in emulator.webhook_info()


async def test_a_delivery_without_the_right_secret_gets_401_and_is_not_handled(
    hook: Hook,
) -> None:
    emulator = hook.harness.emulator
    emulator.user_sends_text(ANNA, "/start", language_code="en")
    [update] = queued_updates(hook)
    assert await post(hook.url, update, secret=None) == 401
    assert await post(hook.url, update, secret="s3cret_Token-2") == 401
    assert await post(hook.url, update, secret="") == 401

    await hook.harness.bot.set_webhook(hook.url, secret_token="another-secret")
    emulator.user_sends_text(BRUNO, "/start", language_code="en")
    await emulator.wait_until(lambda: "last_error_message" in emulator.webhook_info())
    assert emulator.webhook_info()["last_error_message"].endswith("401 Unauthorized")
    assert emulator.webhook_info()["pending_update_count"] == 1  # kept for a later delivery
    assert hook.receiver.handled == 0
    assert emulator.bot_message_count(ANNA) == emulator.bot_message_count(BRUNO) == 0


async def test_a_repeated_update_is_handled_once(hook: Hook) -> None:
    emulator = hook.harness.emulator
    emulator.user_sends_text(ANNA, "/help", language_code="en")
    emulator.user_sends_text(BRUNO, "/help", language_code="en")
    first, second = queued_updates(hook)
    assert await post(hook.url, first) == 200
    assert await post(hook.url, first) == 200
    # Two deliveries of one update at once, as when Telegram gave up waiting for an answer.
    statuses = await asyncio.gather(post(hook.url, second), post(hook.url, second))
    assert statuses == [200, 200]
    assert emulator.bot_message_count(ANNA) == 1
    assert emulator.bot_message_count(BRUNO) == 1
    assert hook.receiver.handled == 2


async def test_one_users_updates_are_handled_in_the_order_they_arrive(hook: Hook) -> None:
    emulator = hook.harness.emulator
    emulator.user_sends_text(ANNA, "/help", language_code="en")
    emulator.user_sends_text(ANNA, "/privacy", language_code="en")
    help_update, privacy_update = queued_updates(hook)
    emulator.fail_next("sendMessage", 502, "Bad Gateway")  # the first answer takes a retry
    first = asyncio.create_task(post(hook.url, help_update))
    await emulator.wait_until(lambda: emulator.calls_to("sendMessage"))
    assert await post(hook.url, privacy_update) == 200
    assert await first == 200
    replies = [message["text"] for message in emulator.bot_messages(ANNA)]
    assert len(replies) == 2
    assert replies[0].startswith("Here is what I can do:")


async def test_a_stop_finishes_the_update_in_hand_and_refuses_new_ones(hook: Hook) -> None:
    emulator = hook.harness.emulator
    emulator.user_sends_text(ANNA, "/help", language_code="en")
    emulator.user_sends_text(BRUNO, "/help", language_code="en")
    in_hand, later = queued_updates(hook)
    emulator.fail_next("sendMessage", 502, "Bad Gateway")
    delivery = asyncio.create_task(post(hook.url, in_hand))
    await emulator.wait_until(lambda: emulator.calls_to("sendMessage"))
    await hook.receiver.drain()
    assert emulator.bot_message_count(ANNA) == 1  # answered before the drain returned
    assert await delivery == 200
    assert await post(hook.url, later) == 503  # Telegram keeps it for the next start
    assert emulator.bot_message_count(BRUNO) == 0


async def test_a_body_that_is_not_an_update_is_refused(hook: Hook) -> None:
    assert await post(hook.url, {"hello": "world"}) == 400
    assert hook.receiver.handled == 0
