"""The live bot with shifts to remind of, and volunteers in the register."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.services.volunteering import register
from handlers.shared.keyboards import item_label
from storage.models import Delivery
from tests.support.fixtures import DATA, ROME
from tests.support.harness import LiveBot

# Shifts near quiet hours, and around the daylight-saving changes of 2027 (the nights
# before Sunday 28 March and Sunday 31 October).
EXTRA_CATALOG = """
projects:
  - code: alba
    title: {it: Pulizia all'alba, en: Dawn clean-up}
    description: {it: Puliamo il parco., en: We clean the park.}
    theme: spazi-pubblici
    shifts:
      - {code: alba-early, start: 2026-12-05T07:30, end: 2026-12-05T09:00, capacity: 5}
      - {code: alba-late, start: 2026-12-04T18:30, end: 2026-12-04T20:30, capacity: 5}
  - code: alba-dst
    title: {it: "Alba, cambio d'ora", en: Dawn at the clock change}
    description: {it: Puliamo il parco., en: We clean the park.}
    theme: spazi-pubblici
    shifts:
      - {code: march-sun, start: 2027-03-28T09:00, end: 2027-03-28T11:00, capacity: 5}
      - {code: march-mon, start: 2027-03-29T09:00, end: 2027-03-29T11:00, capacity: 5}
      - {code: october-sun, start: 2027-10-31T09:00, end: 2027-10-31T11:00, capacity: 5}
      - {code: october-mon, start: 2027-11-01T09:00, end: 2027-11-01T11:00, capacity: 5}
"""


VOLUNTEER = register.Form(
    full_name="Anna Rossi",
    birth_date=date(1990, 5, 17),
    phone="+39 333 1234567",
    resident=True,
    consent=True,
)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)  # type: ignore[misc]


@dataclass
class Reminded:
    """The live bot with the test catalog loaded; helpers to act and to watch the time."""

    bot: LiveBot
    shifts: dict[str, int]

    async def enrol(self, user: int, locale: str = "en") -> None:
        self.bot.emulator.register_user(user, language_code=locale)
        await self.bot.say(user, "/start", language_code=locale)
        async with self.bot.sessions() as session:
            now = self.bot.clock.now()
            await register.join_register(session, user, VOLUNTEER, now=now, today=now.date())

    async def join(self, user: int, project: str, label: str) -> dict[str, Any]:
        """Signs up from the project card, as a volunteer would; returns the bot's reply."""
        [listing] = await self.bot.say(user, "/volunteer")
        await self.bot.press(user, listing, item_label("ℹ️", project))  # the card replaces the list
        card = self.bot.emulator.message(user, listing["message_id"])
        assert card is not None
        before = self.bot.emulator.bot_message_count(user)
        await self.bot.press(user, card, label)
        return await self.bot.emulator.wait_for_bot_message(user, after=before)

    async def at(self, moment: datetime) -> None:
        """Moves the clock and waits until the sender has sent what became due (it keeps an
        interval between two messages to one chat, and after the bot's last reply in it)."""
        self.bot.clock.set(moment)
        await asyncio.sleep(0.3)  # a tick claims what became due
        deadline = asyncio.get_running_loop().time() + 10
        while await self._due_unsent(moment):
            assert asyncio.get_running_loop().time() < deadline, "the due notices were not sent"
            await asyncio.sleep(0.05)

    async def _due_unsent(self, moment: datetime) -> bool:
        async with self.bot.sessions() as session:
            found = await session.scalar(
                select(Delivery.id)
                .where(
                    (Delivery.status == "sending")
                    | ((Delivery.status == "pending") & (Delivery.due_at <= moment))
                )
                .limit(1)
            )
        return found is not None

    async def expect_nothing_at(self, user: int, moment: datetime) -> None:
        before = self.bot.emulator.bot_message_count(user)
        await self.at(moment)
        assert self.bot.emulator.bot_messages(user)[before:] == []

    async def expect_at(self, user: int, moment: datetime) -> dict[str, Any]:
        before = self.bot.emulator.bot_message_count(user)
        self.bot.clock.set(moment)
        return await self.bot.emulator.wait_for_bot_message(user, after=before, timeout=10)

    async def deliveries(self, user: int) -> list[Delivery]:
        async with self.bot.sessions() as session:
            query = select(Delivery).where(Delivery.recipient_id == user).order_by(Delivery.id)
            return list(await session.scalars(query))

    async def pending(self, user: int) -> list[tuple[str, datetime]]:
        """The user's reminders and nudge still to be sent, with their local due times."""
        rows = await self.deliveries(user)
        timed = [row for row in rows if row.message_key in ("shift.reminder", "hours.nudge")]
        return sorted(
            (row.message_key, row.due_at.astimezone(ROME))
            for row in timed
            if row.status == "pending"
        )


def shifts_yaml() -> str:
    return (DATA / "projects.yaml").read_text(encoding="utf-8")
