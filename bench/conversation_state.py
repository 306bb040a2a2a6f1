"""What reading the conversation state from the database costs each update.

What it measures
    The production dispatcher over the in-process emulator, on a fresh migrated database:
    the SQL statements one update from a known user runs (/start, /help, /hubs), counted
    on the engine; then the time of one `DatabaseStorage.get_state`, the read every update
    makes (aiogram reads the state before any handler), averaged over ``--reads`` reads.

How to run (from the repository root)
    .venv/bin/python bench/conversation_state.py
    .venv/bin/python bench/conversation_state.py --databases sqlite --reads 1000

PostgreSQL uses a fresh database on ``--postgres-url`` (created and dropped); when the
server cannot be reached it is skipped with the reason printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import event

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from bot.clock import FixedClock
from bot.runtime.app import create_bot, create_dispatcher
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.settings import Settings
from bot.telegram.fsm_storage import DatabaseStorage
from emulator import BotApiEmulator
from storage import migrate
from storage.db import create_engine, create_session_factory

ROOT = Path(__file__).resolve().parent.parent
CLOCK = FixedClock(datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
COMMANDS = ("/start", "/help", "/hubs")


@contextlib.asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'state.db'}"


async def statements_per_update(url: str) -> dict[str, int]:
    from tests.support.session import EmulatedSession

    engine = create_engine(url)
    emulator = BotApiEmulator()
    settings = Settings(_env_file=None, bot_token=emulator.token)
    bot = create_bot(settings, session=EmulatedSession(emulator))
    dispatcher = create_dispatcher(settings, create_session_factory(engine), CLOCK)
    counted = [0]

    def count(*_: Any) -> None:
        counted[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    poller = Poller(bot, dispatcher, PollingMonitor(60), timeout=0)
    offset: int | None = None
    found = {}
    try:
        for command in COMMANDS:
            for _ in range(2):  # the first makes the user known
                counted[0] = 0
                emulator.user_sends_text(7, command, language_code="en")
                updates = await bot.get_updates(offset=offset, timeout=0)
                await poller.handle_batch(updates)
                offset = updates[-1].update_id + 1
            found[command] = counted[0]
    finally:
        await emulator.aclose()
        await bot.session.close()
        await engine.dispose()
    return found


async def read_time(url: str, reads: int) -> float:
    """Milliseconds of one get_state of a conversation under way."""
    engine = create_engine(url)
    storage = DatabaseStorage(create_session_factory(engine), CLOCK)
    key = StorageKey(bot_id=1, chat_id=7, user_id=7)
    try:
        await storage.set_state(key, "HoursFlow:note")
        for _ in range(min(200, reads)):
            await storage.get_state(key)
        started = time.perf_counter()
        for _ in range(reads):
            await storage.get_state(key)
        return (time.perf_counter() - started) / reads * 1000
    finally:
        await engine.dispose()


async def main_async(args: argparse.Namespace) -> int:
    print(f"Conversation state, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    for database in args.databases.split(","):
        if database == "postgresql":
            reason = await postgres_unreachable(args.postgres_url)
            if reason is not None:
                print(f"{database}: skipped, PostgreSQL unreachable ({reason})")
                continue
            fresh: contextlib.AbstractAsyncContextManager[str] = postgres_database(
                args.postgres_url
            )
        else:
            fresh = sqlite_database()
        async with fresh as url:
            await migrate.upgrade(url)
            statements = await statements_per_update(url)
            milliseconds = await read_time(url, args.reads)
        listed = ", ".join(f"{command} {count}" for command, count in statements.items())
        print(f"{database}: statements per update from a known user: {listed}")
        print(f"{database}: one read of the state: {milliseconds:.3f} ms")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, metavar="URL")
    parser.add_argument("--reads", type=int, default=3000, help="reads timed (3000)")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # for tests.support
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
