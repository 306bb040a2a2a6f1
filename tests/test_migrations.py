"""Migrations: every step goes up, down and up again, and two processes may migrate at once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.services.people import roles
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Base, Staff
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


async def test_upgrade_moves_the_reason_of_a_withdrawn_delivery_out_of_last_error(
    empty_database_url: str,
) -> None:
    await migrate.upgrade(empty_database_url, "0007")
    engine = create_engine(empty_database_url)
    columns = (
        "recipient_id, kind, priority, message_key, params, dedup_key, due_at, status,"
        " attempts, last_error, created_at"
    )
    values = "1, 'notice', 5, 'hours.nudge', '{}', :key, :at, :status, 1, :error, :at"
    rows = [("nudge:1", "cancelled", "hours logged"), ("failed:1", "failed", "Bad Request")]
    try:
        async with engine.begin() as connection:
            for key, status, error in rows:
                await connection.execute(
                    text(f"INSERT INTO deliveries ({columns}) VALUES ({values})"),
                    {
                        "key": key,
                        "at": datetime(2026, 12, 2, tzinfo=UTC),
                        "status": status,
                        "error": error,
                    },
                )
        await migrate.upgrade(empty_database_url)
        async with engine.connect() as connection:
            moved = await connection.execute(
                text("SELECT dedup_key, last_error, withdrawn_reason FROM deliveries ORDER BY id")
            )
            assert [tuple(row) for row in moved] == [
                ("nudge:1", None, "hours logged"),
                ("failed:1", "Bad Request", None),
            ]
    finally:
        await engine.dispose()


async def test_upgrade_gives_each_audit_entry_the_person_its_target_names(
    empty_database_url: str,
) -> None:
    await migrate.upgrade(empty_database_url, "0008")
    engine = create_engine(empty_database_url)
    targets = ["user:1234567890", "shift:3 user:123456789", "hour_report:12", "page:0"]
    try:
        async with engine.begin() as connection:
            for target in targets:
                await connection.execute(
                    text(
                        "INSERT INTO audit_log (at, actor, action, target, details)"
                        " VALUES (:at, NULL, 'staff.added', :target, '{}')"
                    ),
                    {"at": datetime(2026, 12, 2, tzinfo=UTC), "target": target},
                )
        await migrate.upgrade(empty_database_url, "0009")
        async with engine.connect() as connection:
            filled = await connection.execute(
                text("SELECT target, subject FROM audit_log ORDER BY id")
            )
            assert [tuple(row) for row in filled] == [
                ("user:1234567890", 1234567890),
                ("shift:3 user:123456789", 123456789),
                ("hour_report:12", None),
                ("page:0", None),
            ]
    finally:
        await engine.dispose()


async def test_upgrade_keeps_every_tutor_and_admin_as_roles_and_downgrade_keeps_them_too(
    empty_database_url: str,
) -> None:
    await migrate.upgrade(empty_database_url, "0013")
    engine = create_engine(empty_database_url)
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    staff = [(7001, "tutor"), (9001, "admin"), (9002, "admin")]
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO projects (id, code, title, description, theme)"
                    " VALUES (1, 'orti', '{}', '{}', 'x')"
                )
            )
            for telegram_id, role in staff:
                await connection.execute(
                    text("INSERT INTO staff (telegram_id, role, created_at) VALUES (:t, :r, :at)"),
                    {"t": telegram_id, "r": role, "at": at},
                )
            # 9002 is an admin whom a catalog also listed as a tutor of orti.
            for telegram_id in (7001, 9002):
                await connection.execute(
                    text("INSERT INTO project_tutors (project_id, telegram_id) VALUES (1, :t)"),
                    {"t": telegram_id},
                )
        await migrate.upgrade(empty_database_url)
        query = "SELECT telegram_id, role, scope FROM staff ORDER BY telegram_id, role"
        async with engine.connect() as connection:
            upgraded = [tuple(row) for row in await connection.execute(text(query))]
        assert upgraded == [
            (7001, "tutor", ""),
            (9001, "admin", ""),
            (9002, "admin", ""),
            (9002, "tutor", ""),
        ]
        async with create_session_factory(engine)() as session:
            tutor = await roles.actor_of(session, 7001, ())
            admin = await roles.actor_of(session, 9002, ())
            assert tutor.holds(roles.Role.TUTOR) and tutor.projects == {1} and not tutor.is_admin
            assert admin.is_admin and admin.projects == {1}
            session.add(Staff(telegram_id=9001, role="office", scope="VERDE", created_at=at))
            await session.commit()

        await migrate.downgrade(empty_database_url, "0013")
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT telegram_id, role FROM staff ORDER BY telegram_id")
            )
            assert [tuple(row) for row in rows] == staff  # the office role has no place there
    finally:
        await engine.dispose()
