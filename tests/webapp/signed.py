"""The Mini App over HTTP in-process, and initData signed as Telegram signs it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.settings import Settings
from bot.webapp.routing import ApiRoute
from bot.webapp.server import MiniApp
from emulator.webapps import sign_init_data
from handlers import webapp_routes
from tests.support.fixtures import TEST_NOW, test_settings

BASE = "https://bot.example.org/app"


def init_data(
    user_id: int,
    *,
    token: str | None = None,
    at: datetime = TEST_NOW,
    language: str = "it",
    first_name: str = "Paolo",
    last_name: str = "Conti",
) -> str:
    user: dict[str, Any] = {
        "id": user_id,
        "first_name": first_name,
        "last_name": last_name,
        "language_code": language,
    }
    secret = test_settings().bot_token
    assert secret is not None
    return sign_init_data(token or secret.get_secret_value(), user, int(at.timestamp()))


def signed_in(data: str) -> dict[str, str]:
    return {"Authorization": f"tma {data}"}


def bot_settings(**overrides: object) -> Settings:
    return test_settings(**overrides)


def mini_app(
    sessions: async_sessionmaker[AsyncSession],
    extra_routes: Sequence[ApiRoute] = (),
    **settings: object,
) -> MiniApp:
    """The production Mini App (every feature's routes) at BASE, at TEST_NOW."""
    return MiniApp(
        test_settings(public_base_url=BASE, **settings),
        sessions,
        FixedClock(TEST_NOW),
        [*webapp_routes(), *extra_routes],
    )


@asynccontextmanager
async def mini_app_client(
    sessions: async_sessionmaker[AsyncSession],
    extra_routes: Sequence[ApiRoute] = (),
    **settings: object,
) -> AsyncIterator[TestClient[Any, Any]]:
    app = mini_app(sessions, extra_routes, **settings)
    async with TestClient(TestServer(app.application())) as client:
        yield client
