"""Mini Apps in the emulator: web_app buttons as Telegram checks them, and initData the bot
can verify, handed to the Mini App as Telegram's web client does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiogram.utils.web_app import check_webapp_signature, safe_parse_webapp_init_data

from emulator import ApiError, BotApiEmulator
from emulator.webapps import sign_init_data
from emulator.webchat import WebChatServer

USER = 5005
CONFIG = {"personas": [{"key": "admin", "user_id": USER}], "languages": [], "neighbourhoods": []}


def test_the_emulators_initdata_verifies_with_aiograms_check() -> None:
    user = {"id": USER, "first_name": "Paolo", "last_name": "Conti", "language_code": "it"}
    data = sign_init_data("123:abc", user, 1_800_000_000, query_id="AAF")
    assert check_webapp_signature("123:abc", data)
    assert not check_webapp_signature("123:another", data)
    parsed = safe_parse_webapp_init_data("123:abc", data)
    assert parsed.user is not None and parsed.user.id == USER
    assert parsed.user.language_code == "it"
    assert int(parsed.auth_date.timestamp()) == 1_800_000_000


def _message(markup: dict[str, Any]) -> dict[str, Any]:
    return {"chat_id": USER, "text": "Staff", "reply_markup": markup}


def _inline(url: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": "Open", "web_app": {"url": url}}]]}


def _reply(url: str) -> dict[str, Any]:
    return {"keyboard": [[{"text": "Open", "web_app": {"url": url}}]], "resize_keyboard": True}


@pytest.mark.parametrize("markup", [_inline, _reply], ids=["inline", "reply keyboard"])
@pytest.mark.parametrize(
    "url", ["https://bot.example.org/app/", "http://127.0.0.1:8088/app/", "http://localhost/"]
)
async def test_web_app_buttons_open_https_or_loopback_addresses(
    emulator: BotApiEmulator, markup: Any, url: str
) -> None:
    emulator.register_user(USER)
    sent = await emulator.handle(emulator.token, "sendMessage", _message(markup(url)))
    assert sent["text"] == "Staff"
    assert emulator.invalid_calls == []


@pytest.mark.parametrize("markup", [_inline, _reply], ids=["inline", "reply keyboard"])
async def test_a_web_app_button_over_plain_http_elsewhere_is_refused(
    emulator: BotApiEmulator, markup: Any
) -> None:
    emulator.register_user(USER)
    with pytest.raises(ApiError) as refused:
        await emulator.handle(emulator.token, "sendMessage", _message(markup("http://bot.org/")))
    assert "Only HTTPS links are allowed" in refused.value.description


@pytest.fixture
async def chat() -> AsyncIterator[WebChatServer]:
    running = WebChatServer(BotApiEmulator(), CONFIG)
    await running.start()
    running.emulator.register_user(USER, first_name="Paolo", language_code="it")
    yield running
    await running.stop()


async def test_the_web_chat_opens_a_mini_app_signed_in_as_its_user(chat: WebChatServer) -> None:
    async with aiohttp.ClientSession() as client:
        async with client.post(
            f"{chat.url}/_webchat/users/{USER}/webapp", json={"url": "http://127.0.0.1:9/app/"}
        ) as response:
            opened = (await response.json())["url"]
        async with client.get(f"{chat.url}/js/telegram-web-app.js") as script:
            assert script.status == 200
            assert "window.Telegram = { WebApp }" in await script.text()
    address, _, fragment = opened.partition("#")
    assert address == "http://127.0.0.1:9/app/"
    launch = {key: values[0] for key, values in parse_qs(fragment).items()}
    user = safe_parse_webapp_init_data(chat.emulator.token, launch["tgWebAppData"]).user
    assert user is not None and (user.id, user.first_name, user.language_code) == (
        USER,
        "Paolo",
        "it",
    )
    assert "bg_color" in launch["tgWebAppThemeParams"]


async def test_a_sign_in_is_dated_by_the_bots_clock_where_the_demo_moved_it() -> None:
    later = 1_900_000_000.0
    running = WebChatServer(BotApiEmulator(), CONFIG, bot_clock=lambda: later)
    await running.start()
    try:
        running.emulator.register_user(USER, first_name="Paolo")
        async with (
            aiohttp.ClientSession() as client,
            client.post(
                f"{running.url}/_webchat/users/{USER}/webapp", json={"url": "https://x.org/"}
            ) as response,
        ):
            opened = (await response.json())["url"]
    finally:
        await running.stop()
    data = parse_qs(opened.partition("#")[2])["tgWebAppData"][0]
    parsed = safe_parse_webapp_init_data(running.emulator.token, data)
    assert parsed.auth_date.timestamp() == later
