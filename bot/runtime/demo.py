"""`quartiere-bot demo`: the bot, the Bot API emulator and a web chat, on this machine, no token.

The bot is the real one (`bot_until_stopped`, in the process lifecycle `run` has), talking to
the emulator instead of Telegram; the emulator also serves the web chat (emulator/webchat.py)
on DEMO_LISTEN. Every start makes a new database, data/demo/demo.db (DATABASE_URL is not
used), with the sample catalog dated in the coming days and the personas of
bot/services/demo/cast.py. CLOCK_FILE works as in `run`, so that reminders and check-ins can
be tried by moving the clock. Conversation state stays in that database even when REDIS_URL is
set, so the demo never touches a real deployment's data. The staff Mini App is served on a free
loopback port (PUBLIC_BASE_URL), framed by the web chat. Stops on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.clock import clock_from
from bot.runtime.app import bot_until_stopped
from bot.runtime.lifecycle import running_process
from bot.services.demo.cast import PERSONAS, DemoCatalog, prepare_demo
from bot.settings import SUPPORTED_LOCALES, Settings
from emulator import BotApiEmulator
from emulator.webchat import WebChatServer
from storage.db import private_directory

log = logging.getLogger(__name__)

DEMO_DIR = Path("data") / "demo"
# cache: a constant lookup table, only read
_LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
_READY_WITHIN = 120.0


def _new_database() -> str:
    """A path for a new demo database, the previous demo's files removed."""
    private_directory(DEMO_DIR)
    database = DEMO_DIR / "demo.db"
    for leftover in (
        database,
        *(DEMO_DIR / f"demo.db{end}" for end in ("-wal", "-shm", "-journal")),
    ):
        leftover.unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{database.resolve()}"


def _page_config(catalog: DemoCatalog, settings: Settings) -> dict[str, Any]:
    locales = [
        settings.default_locale,
        *(c for c in SUPPORTED_LOCALES if c != settings.default_locale),
    ]
    return {
        "personas": [
            {
                "key": persona.key,
                "user_id": persona.telegram_id,
                "first_name": persona.first_name,
                "last_name": persona.last_name,
                "phone": persona.phone,
            }
            for persona in PERSONAS
        ],
        "languages": [{"code": code, "name": _LANGUAGE_NAMES.get(code, code)} for code in locales],
        "neighbourhoods": [
            {"name": place.name, "latitude": place.latitude, "longitude": place.longitude}
            for place in catalog.neighbourhoods
        ],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bot_settings(
    settings: Settings, emulator: BotApiEmulator, api_url: str, database: str, mini_app: int
) -> Settings:
    return settings.model_copy(
        update={
            "bot_token": SecretStr(emulator.token),
            "telegram_api_url": api_url,
            "database_url": database,
            "redis_url": None,
            "admin_ids": (),
            "webhook_base_url": None,
            # The demo may run beside a real bot: its health endpoint must not collide.
            "health_listen": f"127.0.0.1:{_free_port()}",
            # The staff Mini App on this machine, framed by the web chat, which also serves
            # the stand-in for Telegram's script.
            "public_base_url": f"http://127.0.0.1:{mini_app}/app",
            "webhook_listen": f"127.0.0.1:{mini_app}",
            "telegram_web_origin": api_url,
        }
    )


async def _announce_when_ready(emulator: BotApiEmulator, page_url: str) -> None:
    """Prints the address once the bot's first long poll has begun: from then on a message
    gets an answer."""
    try:
        await emulator.wait_until(
            lambda: emulator.poll_generation > 0, _READY_WITHIN, what="the bot polling"
        )
    except TimeoutError:
        log.error("the bot did not start polling within %.0f s", _READY_WITHIN)
        return
    sys.stdout.write(f"Demo: open {page_url} in your browser\n")
    sys.stdout.flush()


def _reachable_host(host: str) -> str:
    """Where the bot and the person reach the server: loopback when it listens everywhere."""
    try:
        everywhere = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        everywhere = not host
    shown = "127.0.0.1" if everywhere else host
    return f"[{shown}]" if ":" in shown else shown


def _emulator(settings: Settings) -> BotApiEmulator:
    emulator = BotApiEmulator(bot_first_name="Quartiere (demo)", bot_username="quartiere_demo_bot")
    for persona in PERSONAS:
        # Known before the bot starts, so that the staff get their menus at once.
        emulator.register_user(
            persona.telegram_id,
            first_name=persona.first_name,
            last_name=persona.last_name,
            language_code=settings.default_locale,
        )
    return emulator


async def run_demo(settings: Settings) -> int:
    """Runs the demo until SIGINT/SIGTERM; returns the process exit code."""
    host, port = settings.demo_address
    database = _new_database()
    async with running_process(database) as process:
        # CLOCK_FILE moves the demo's clock too: the catalog is dated from where it stands.
        clock = clock_from(settings.clock_file)
        now = clock.now().astimezone(settings.timezone)
        catalog = await prepare_demo(process.sessions, timezone=settings.timezone, now=now)
        log.info("demo catalog: %s", catalog.summary)
        emulator = _emulator(settings)
        server = WebChatServer(
            emulator, _page_config(catalog, settings), lambda: clock.now().timestamp()
        )
        try:
            await server.start(host, port)
        except OSError as error:
            sys.stderr.write(f"DEMO_LISTEN {host}:{port} cannot be served: {error.strerror}\n")
            return 1
        address = f"http://{_reachable_host(host)}:{server.port}"
        announce = asyncio.create_task(_announce_when_ready(emulator, f"{address}/"))
        try:
            bot_settings = _bot_settings(settings, emulator, address, database, _free_port())
            server.config["mini_app_url"] = f"{bot_settings.public_base_url}/"
            return await bot_until_stopped(bot_settings, process)
        finally:
            announce.cancel()
            await server.stop()
