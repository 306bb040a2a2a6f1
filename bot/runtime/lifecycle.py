"""One process's life, for `run`, `send` and `demo`: the same start, stop and exit code.

A process migrates its database first (safe when two start at once), runs until SIGTERM or
SIGINT, or until Telegram refuses the token (401), then releases the database. Exit codes:
0 stopped, 2 token refused (the callers return 1 for an address they cannot listen on).
Without aiogram, so that `quartiere-bot send` stays small.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine, create_session_factory

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
TOKEN_REFUSED = 2


class Process:
    """What a running process's parts share: its database and the reasons to stop."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = create_session_factory(engine)
        self.stop = asyncio.Event()
        self.token_refused = False

    def refuse_token(self) -> None:
        """Telegram answered 401: the token is wrong or revoked, so the process stops."""
        self.token_refused = True
        self.stop.set()

    def exit_code(self) -> int:
        if self.token_refused:
            log.critical(
                "Telegram refused BOT_TOKEN (401 Unauthorized): the token is wrong or revoked"
            )
            return TOKEN_REFUSED
        log.info("stopped")
        return 0


@contextlib.asynccontextmanager
async def running_process(database_url: str) -> AsyncIterator[Process]:
    """Migrates, then a process that SIGTERM and SIGINT stop; its database released on exit."""
    await migrate.upgrade(database_url)
    engine = create_engine(database_url)
    process = Process(engine)
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, process.stop.set)
    try:
        yield process
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        await engine.dispose()
