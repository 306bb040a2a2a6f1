"""Files holding personal data are readable by the bot's user only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.db import create_engine
from tests.support.cli import cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The common default, which leaves new files readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_the_sqlite_database_its_wal_and_shm_and_data_directory_are_private(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "quartiere.db"
    url = f"sqlite+aiosqlite:///{database}"
    await migrate.upgrade(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:  # open, so the -wal and -shm exist
            await connection.execute(text("CREATE TABLE probe (id INTEGER)"))
            await connection.commit()
            files = [
                database,
                *(database.with_name(f"quartiere.db{end}") for end in ("-wal", "-shm")),
            ]
            assert {file.name: mode(file) for file in files} == {
                "quartiere.db": 0o600,
                "quartiere.db-wal": 0o600,
                "quartiere.db-shm": 0o600,
            }
    finally:
        await engine.dispose()
    assert mode(database.parent) == 0o700


async def test_a_database_made_readable_by_others_is_narrowed_at_start(tmp_path: Path) -> None:
    database = tmp_path / "quartiere.db"
    url = f"sqlite+aiosqlite:///{database}"
    await migrate.upgrade(url)
    database.chmod(0o644)
    engine = create_engine(url)
    await engine.dispose()
    assert mode(database) == 0o600


@pytest.mark.parametrize("existing", [False, True])
def test_an_export_written_with_out_is_private(
    existing: bool, database_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "register.csv"
    if existing:
        target.write_text("old\n")
        target.chmod(0o644)
    result = cli(
        "export", "volunteers", "--out", target.name, database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text().startswith("telegram_user_id,")
    assert mode(target) == 0o600
