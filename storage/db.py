"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

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
        path.parent.mkdir(parents=True, exist_ok=True)
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
