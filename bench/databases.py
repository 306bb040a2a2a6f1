"""Fresh databases for the benchmarks: a PostgreSQL database created and dropped per run."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator

# The machine's PostgreSQL: trust authentication, a database this user may create others from.
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def postgres_unreachable(admin_url: str) -> str | None:
    """Why the PostgreSQL server cannot be used, or None."""
    import asyncpg
    from sqlalchemy.engine import make_url

    try:
        dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(False)
        connection = await asyncpg.connect(dsn, timeout=5)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


@contextlib.asynccontextmanager
async def postgres_database(admin_url: str) -> AsyncIterator[str]:
    """A fresh database on the server of ``admin_url``, dropped afterwards."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    dsn = url.set(drivername="postgresql").render_as_string(False)
    name = f"qb_bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield url.set(database=name).render_as_string(False)
    finally:
        connection = await asyncpg.connect(dsn, timeout=5)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
