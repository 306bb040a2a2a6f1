"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def private_directory(path: Path) -> None:
    """Creates the directory and any missing parent readable by its owner only (0700)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process was quicker
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)  # whatever the umask


def private_database_file(path: Path) -> None:
    """The SQLite file, its -wal and its -shm readable by their owner only (0600).

    The file is created here when missing, since SQLite gives the -wal and -shm files the
    mode of the database file; existing ones are narrowed when they are ours to change.
    """
    private_directory(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        with contextlib.suppress(OSError):  # absent, or another user's (a read-only role)
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                os.chmod(file, 0o600)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    path = sqlite_path(url)
    # Sized for the updates handled at once (two connections each at most) plus the
    # outbox sender; connections are kept rather than opened per use.
    kwargs: dict[str, Any] = {
        "echo": echo,
        # Errors and logs would otherwise show the values bound to a query: names, phones.
        "hide_parameters": True,
        "pool_pre_ping": path is None,
        "pool_size": 20,
        "max_overflow": 5,
        "pool_timeout": 10,
    }
    if path is not None:
        private_database_file(path)
        # Writers queue on the file lock instead of failing at once.
        kwargs["connect_args"] = {"timeout": 30}
    engine = create_async_engine(url, **kwargs)
    if path is not None:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
