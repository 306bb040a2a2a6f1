"""Running `quartiere-bot` as an operator would: a subprocess with its environment."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp

from emulator import BotApiEmulator

CLI = [sys.executable, "-m", "bot.cli"]
# Importing aiogram's types and migrating take seconds, many more on a busy machine.
STARTUP = 60.0


# Below the kernel's ephemeral range (32768-60999): a port found free here is not taken
# meanwhile by an outgoing connection (to PostgreSQL, to the emulator) before the bot binds it.
LISTEN_PORTS = range(20000, 32000)


def free_port() -> int:
    while True:
        port = random.choice(LISTEN_PORTS)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def bot_environment(
    emulator_url: str, token: str, database_url: str, **extra: str
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "REDIS_", "ADMIN_"))
    }
    env.update(
        BOT_TOKEN=token,
        TELEGRAM_API_URL=emulator_url,
        DATABASE_URL=database_url,
        HEALTH_LISTEN=f"127.0.0.1:{free_port()}",
        POLLING_TIMEOUT="1",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


class BotProcess:
    """`quartiere-bot run` (or `send`) in a subprocess; stderr is kept for the assertions."""

    def __init__(self, env: dict[str, str], cwd: Path, command: str = "run") -> None:
        self.env = env
        self.cwd = cwd
        self.command = command
        self.process: asyncio.subprocess.Process | None = None
        self.log = ""

    @property
    def health_url(self) -> str:
        return f"http://{self.env['HEALTH_LISTEN']}/healthz"

    async def start(self) -> None:
        # A file, not a pipe: an unread pipe would fill up and block the bot's logging.
        self._log_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed in _collect)
        self.process = await asyncio.create_subprocess_exec(
            *CLI, self.command, env=self.env, cwd=self.cwd, stderr=self._log_file
        )

    async def health(self) -> tuple[int, dict[str, Any]]:
        async with aiohttp.ClientSession() as client, client.get(self.health_url) as response:
            return response.status, await response.json()

    async def wait_healthy(self, within: float = STARTUP) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            try:
                status, body = await self.health()
                if status == 200:
                    return body
            except aiohttp.ClientError:
                pass
            if self.process is not None and self.process.returncode is not None:
                raise AssertionError(f"the bot exited: {await self.stop()}")
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("the bot did not become healthy")
            await asyncio.sleep(0.1)

    async def stop(self, sig: signal.Signals = signal.SIGTERM, within: float = 30) -> int:
        """Sends `sig` and waits for the exit; returns the exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await self.wait_exit(within)

    async def wait_exit(self, within: float = STARTUP) -> int:
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), timeout=within)
        self._log_file.seek(0)
        self.log = self._log_file.read().decode()
        self._log_file.close()
        return code


async def stop_mid_batch_and_restart(
    emulator: BotApiEmulator,
    env: dict[str, str],
    cwd: Path,
    users: Sequence[int],
    settle: Callable[[], Awaitable[None]],
) -> None:
    """Users write at once, SIGTERM comes while the bot answers, a new process takes over.

    `settle` waits for whatever would bring a duplicate before the second process stops.
    """
    bot = BotProcess(env, cwd)
    await bot.start()
    await bot.wait_healthy()
    for user in users:
        emulator.user_sends_text(user, "/start", language_code="en")
    await emulator.wait_until(lambda: any(emulator.bot_message_count(u) for u in users), 15)
    assert await bot.stop(signal.SIGTERM) == 0, bot.log
    assert "stopped" in bot.log
    again = BotProcess(env, cwd)
    await again.start()
    try:
        await again.wait_healthy()
        await emulator.wait_until(lambda: all(emulator.bot_message_count(u) for u in users), 30)
        await settle()
    finally:
        code = await again.stop()
    assert code == 0, again.log
