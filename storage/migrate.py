"""Applies the Alembic migrations, safely when several processes start at once.

Alembic runs on the async engine's connection (through `run_sync`), so no second,
synchronous database driver is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import create_engine, private_database_file, sqlite_path

# Any fixed number: the PostgreSQL advisory lock that serialises migrations.
_PG_LOCK_ID = 7_424_201

Action = Callable[[Config], None]


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, lambda config: command.upgrade(config, revision))


async def downgrade(url: str, revision: str) -> None:
    await _run(url, lambda config: command.downgrade(config, revision))


async def current_heads(url: str) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            heads = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_heads()
            )
    finally:
        await engine.dispose()
    return set(heads)


async def _run(url: str, action: Action) -> None:
    path = sqlite_path(url)
    if path is None:
        await _with_connection(url, action)
        return
    private_database_file(path)
    lock = path.with_name(path.name + ".migrate-lock")
    # SQLite has no advisory locks; a file lock beside the database serialises processes.
    async with _file_lock(lock):
        await _with_connection(url, action)


async def _with_connection(url: str, action: Action) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate_on, action)
    finally:
        await engine.dispose()


def _migrate_on(connection: Connection, action: Action) -> None:
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _PG_LOCK_ID})
        connection.commit()
    try:
        config = alembic_config()
        config.attributes["connection"] = connection
        action(config)
        connection.commit()
    finally:
        if postgres:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_LOCK_ID})
            connection.commit()


@contextlib.asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    handle = path.open("a")
    try:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
