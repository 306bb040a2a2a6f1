"""Where the Mini App is served: on WEBHOOK_LISTEN in both modes when PUBLIC_BASE_URL is set,
never on HEALTH_LISTEN."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.app import bot_until_stopped
from bot.runtime.lifecycle import running_process
from bot.runtime.webhook import WebhookReceiver
from bot.settings import Settings
from emulator import EmulatorServer
from tests.support.process import free_port
from tests.webapp.signed import bot_settings, mini_app


@asynccontextmanager
async def polling_bot(tmp_path: Path, **overrides: object) -> AsyncIterator[Settings]:
    """The whole bot, long polling the emulator, with WEBHOOK_LISTEN and HEALTH_LISTEN free."""
    server = EmulatorServer()
    await server.start()
    settings = bot_settings(
        telegram_api_url=server.url,
        webhook_listen=f"127.0.0.1:{free_port()}",
        health_listen=f"127.0.0.1:{free_port()}",
        **overrides,
    )
    try:
        async with running_process(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}") as process:
            running = asyncio.create_task(bot_until_stopped(settings, process))
            await server.emulator.wait_until(lambda: server.emulator.poll_generation > 0, 60)
            try:
                yield settings
            finally:
                process.stop.set()
                assert await asyncio.wait_for(running, 30) == 0
    finally:
        await server.stop()


async def _status(url: str) -> int | None:
    """The HTTP status at `url`; None when nothing listens there."""
    try:
        async with aiohttp.ClientSession() as client, client.get(url) as response:
            return response.status
    except aiohttp.ClientConnectionError:
        return None


async def test_a_polling_bot_serves_the_mini_app_on_webhook_listen_only(tmp_path: Path) -> None:
    async with polling_bot(tmp_path, public_base_url="https://bot.example.org/app") as settings:
        assert await _status(f"http://{settings.webhook_listen}/app/") == 200
        assert await _status(f"http://{settings.webhook_listen}/app/api/me") == 401
        # HEALTH_LISTEN answers (healthy or not yet), but has no Mini App.
        assert await _status(f"http://{settings.health_listen}/healthz") in (200, 503)
        assert await _status(f"http://{settings.health_listen}/app/") == 404


async def test_without_public_base_url_a_polling_bot_listens_on_no_webhook_address(
    tmp_path: Path,
) -> None:
    async with polling_bot(tmp_path) as settings:
        assert await _status(f"http://{settings.webhook_listen}/app/") is None
        assert await _status(f"http://{settings.health_listen}/healthz") in (200, 503)


async def test_in_webhook_mode_the_mini_app_is_beside_the_webhook(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    receiver = WebhookReceiver(None, None, "s3cret_Token-1234")  # type: ignore[arg-type]
    app = receiver.application("/telegram/webhook", mini_app(session_factory))
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/app/")).status == 200
        assert (await client.get("/app/api/me")).status == 401
        assert (await client.post("/telegram/webhook", json={})).status == 401  # no secret
