"""The hours programme: the test projects, volunteers with places, and the clock after the shifts.

Maria has a place on the Saturday garden shift (one project); Luca on it and on the
Monday digital-help shift (two projects); Sara is in the register with no place; Piero
never joined it. The clock then stands on Tuesday 8 December 2026, after every shift.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.services.volunteering import register, shifts
from storage.models import HourReport, Shift
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import BotHarness

MARIA, LUCA, SARA, PIERO = 801, 802, 803, 804
TUTOR, SECOND_TUTOR, SPID_TUTOR = 7001, 7002, 7003
AFTER_THE_SHIFTS = datetime(2026, 12, 8, 10, 0, tzinfo=ROME)


@dataclass(frozen=True)
class Programme:
    shifts: dict[str, int]
    sessions: async_sessionmaker[AsyncSession]

    async def reports(self, telegram_id: int | None = None) -> list[HourReport]:
        async with self.sessions() as session:
            query = select(HourReport).order_by(HourReport.id)
            if telegram_id is not None:
                query = query.where(HourReport.telegram_id == telegram_id)
            return list(await session.scalars(query))


async def _join(sessions: async_sessionmaker[AsyncSession], telegram_id: int, name: str) -> None:
    form = register.Form(
        full_name=name,
        birth_date=date(1990, 5, 17),
        phone="+39 333 1234567",
        resident=True,
        consent=True,
    )
    async with sessions() as session:
        await register.join_register(
            session, telegram_id, form, now=TEST_NOW, today=TEST_NOW.date()
        )


async def prepare(
    sessions: async_sessionmaker[AsyncSession],
    load_catalog: Callable[[str], Awaitable[Any]],
    clock: FixedClock,
) -> Programme:
    await load_catalog("projects.yaml")
    async with sessions() as session:
        ids = {str(code): int(i) for code, i in await session.execute(select(Shift.code, Shift.id))}
    for telegram_id, name in ((MARIA, "Maria Rossi"), (LUCA, "Luca Bianchi"), (SARA, "Sara Verdi")):
        await _join(sessions, telegram_id, name)
    for telegram_id, code in ((MARIA, "orti-sat"), (LUCA, "orti-sat"), (LUCA, "spid-mon")):
        async with sessions() as session:
            await shifts.sign_up(session, telegram_id, ids[code], TEST_NOW)
    clock.set(AFTER_THE_SHIFTS)
    return Programme(ids, sessions)


async def say(bot: BotHarness, user: int, text: str, locale: str = "en") -> dict[str, Any]:
    """The user writes; the bot's one reply."""
    [reply] = await bot.say(user, text, language_code=locale)
    return reply
