"""After setWebhook the emulator POSTs updates to the bot instead of queueing them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from emulator import EmulatorServer
from emulator.webhook import SECRET_HEADER

USER = 3003


class Receiver:
    """A tiny webhook endpoint that records deliveries and answers with a canned response."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str | None, dict[str, Any]]] = []
        self.statuses = [200]

    async def handle(self, request: web.Request) -> web.Response:
        self.deliveries.append((request.headers.get(SECRET_HEADER), await request.json()))
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return web.json_response({}, status=status)


async def serve(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        await runner.cleanup()


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def hook_url(receiver: Receiver) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    async for url in serve(app):
        yield url


async def test_updates_are_posted_with_the_secret_header(
    server: EmulatorServer, bot: Bot, receiver: Receiver, hook_url: str
) -> None:
    emulator = server.emulator
    assert await bot.set_webhook(hook_url, secret_token="s3cret-token")
    emulator.user_sends_text(USER, "hello")

    await emulator.wait_until(lambda: emulator.stats()["webhook_deliveries"] == 1)
    secret, update = receiver.deliveries[0]
    assert secret == "s3cret-token"
    assert update["message"]["text"] == "hello"
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (hook_url, 0)


async def test_failed_deliveries_are_reported_and_retried(
    server: EmulatorServer, bot: Bot, receiver: Receiver, hook_url: str
) -> None:
    emulator = server.emulator
    receiver.statuses = [500, 200]
    await bot.set_webhook(hook_url)
    emulator.user_sends_text(USER, "hello")

    await emulator.wait_until(lambda: emulator.stats()["webhook_deliveries"] == 1)
    assert len(receiver.deliveries) == 2
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_aiogram_webhook_can_answer_with_a_method(server: EmulatorServer, bot: Bot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> SendMessage:
        return message.answer(f"echo: {message.text}")

    app = web.Application()
    handler = SimpleRequestHandler(
        dispatcher, bot, secret_token="s3cret", handle_in_background=False
    )
    handler.register(app, path="/hook")
    async for url in serve(app):
        await bot.set_webhook(url, secret_token="s3cret")
        server.emulator.user_sends_text(USER, "ciao")
        reply = await server.emulator.wait_for_bot_message(USER)
        assert reply["text"] == "echo: ciao"
        assert server.emulator.invalid_calls == []
        await bot.delete_webhook()
