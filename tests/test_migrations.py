"""Migrations: every step goes up, down and up again, and two processes may migrate at once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage import migrate
from storage.db import create_engine
from storage.models import Base
from tests.support.databases import new_database_url


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = new_database_url(request.param, request, tmp_path)
    asyncio.run(migrate.downgrade(url, "base"))
    return url


async def test_stairway_every_migration_goes_up_down_and_up(empty_database_url: str) -> None:
    previous = "base"
    for revision in _revisions():
        await migrate.upgrade(empty_database_url, revision)
        await migrate.downgrade(empty_database_url, previous)
        await migrate.upgrade(empty_database_url, revision)
        previous = revision
    assert await _tables(empty_database_url) == set(Base.metadata.tables)


async def test_downgrade_to_base_leaves_no_table(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    await migrate.downgrade(empty_database_url, "base")
    assert await _tables(empty_database_url) == set()


def test_two_migrate_commands_at_once_leave_one_correct_schema(empty_database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": empty_database_url}
    commands = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "migrate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [command.communicate(timeout=120) for command in commands]
    assert [command.returncode for command in commands] == [0, 0], results
    assert asyncio.run(migrate.current_heads(empty_database_url)) == {_revisions()[-1]}
    assert asyncio.run(_tables(empty_database_url)) == set(Base.metadata.tables)
