"""Volunteering fixtures: the test projects and registered volunteers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.volunteering import register
from storage.models import Shift
from tests.support.fixtures import TEST_NOW
from tests.volunteering.register import Register


@pytest.fixture
async def shift_ids(
    load_catalog, session_factory: async_sessionmaker[AsyncSession]
) -> dict[str, int]:
    await load_catalog("projects.yaml")
    async with session_factory() as session:
        rows = await session.execute(select(Shift.code, Shift.id))
        return {str(code): int(shift_id) for code, shift_id in rows}


@pytest.fixture
def enrol(session_factory: async_sessionmaker[AsyncSession]) -> Register:
    """Adds a person to the volunteer register."""

    async def add(telegram_id: int) -> None:
        form = register.Form(
            full_name="Anna Rossi",
            birth_date=date(1990, 5, 17),
            phone="+39 333 1234567",
            resident=True,
            consent=True,
        )
        async with session_factory() as session:
            await register.join_register(
                session, telegram_id, form, now=TEST_NOW, today=TEST_NOW.date()
            )

    return add
