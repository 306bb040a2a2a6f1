"""A database error mid-update: the update's writes are undone whole and the user asked to retry.

The failure is real: a trigger makes the database refuse the register entry that joining
the volunteer register writes after the volunteer's own row, in the same transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import RegisterEntry, Signup, Volunteer
from tests.support.harness import BotHarness

MARIA = 4301

SQLITE_TRIGGER = [
    """CREATE TRIGGER refuse_entries BEFORE INSERT ON register_entries
       BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END""",
]
POSTGRES_TRIGGER = [
    """CREATE FUNCTION refuse_entries() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'disk quota exceeded'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER refuse_entries BEFORE INSERT ON register_entries
       FOR EACH ROW EXECUTE FUNCTION refuse_entries()""",
]


async def set_refusal(sessions: async_sessionmaker[AsyncSession], on: bool) -> None:
    async with sessions() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if on:
            for statement in POSTGRES_TRIGGER if postgres else SQLITE_TRIGGER:
                await session.execute(text(statement))
        else:
            await session.execute(text("DROP TRIGGER refuse_entries" + (
                " ON register_entries" if postgres else ""
            )))  # fmt: skip
        await session.commit()


async def rows(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    async with sessions() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Volunteer, RegisterEntry, Signup)
        ]
    return counts[0] or 0, counts[1] or 0, counts[2] or 0


async def consent_question(harness: BotHarness) -> dict[str, Any]:
    """Maria walks through joining the register up to the consent button."""
    [listing] = await harness.say(MARIA, "/volunteer", language_code="en")
    await harness.press(MARIA, listing, "ℹ️ Shared gardens")  # the card replaces the list
    card = harness.emulator.message(MARIA, listing["message_id"])
    assert card is not None
    _, [residence] = await harness.press(MARIA, card, "Join: Sat 5 Dec, 09:00–12:00")
    await harness.press(MARIA, residence, "Yes")
    await harness.say(MARIA, "Maria Rossi")
    await harness.say(MARIA, "24/05/1980")
    [_, consent] = await harness.say(MARIA, "+39 333 1234567")
    return consent


@pytest.fixture
async def projects(harness: BotHarness, load_catalog) -> BotHarness:
    await load_catalog("projects.yaml")
    return harness


async def test_a_failed_write_saves_nothing_and_the_user_can_try_again(
    projects: BotHarness,
) -> None:
    harness = projects
    consent = await consent_question(harness)
    await set_refusal(harness.sessions, on=True)

    answer, messages = await harness.press(MARIA, consent, "I agree")

    assert answer is not None and answer.get("show_alert") is True
    assert answer["text"].startswith("Sorry, something went wrong on my side. Please try again")
    assert messages == []
    assert await rows(harness.sessions) == (0, 0, 0)  # not the volunteer, not the place
    [error] = harness.dispatcher["metrics"].errors
    assert error in ("IntegrityError", "DBAPIError", "InternalError", "OperationalError")

    await set_refusal(harness.sessions, on=False)
    await harness.press(MARIA, consent, "I agree")
    done = harness.emulator.message(MARIA, consent["message_id"])
    assert done is not None and done["text"].startswith("You are in the volunteer register.")
    assert await rows(harness.sessions) == (1, 1, 1)
