"""A small town for announcements: people in quartieri, projects, greenways and languages.

The people are written straight into the database (how they got there is tested
elsewhere) and registered with the emulator, so deliveries reach real chats.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.announcements import compose as announcements
from bot.services.catalog.importing import import_catalog_text
from emulator import BotApiEmulator
from storage.models import (
    Greenway,
    GreenwaySubscription,
    Project,
    ProjectMember,
    Quartiere,
    Shift,
    Signup,
    User,
    Volunteer,
)
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW
from tests.support.harness import LiveBot

CATALOG = Path(__file__).with_name("catalog.yaml")


@dataclass(frozen=True)
class Person:
    telegram_id: int
    language: str  # the Telegram language
    chosen: str | None = None
    quartiere: str | None = None
    signup: str | None = None  # their status on the orti shift
    member_of: str | None = None  # a project a tutor added them to
    greenway: str | None = None
    all_greenways: bool = False
    volunteer: bool = False
    muted: bool = False
    unreachable: bool = False


TOWN = (
    Person(101, "it", quartiere="ospizio", signup="confirmed", greenway="crostolo", volunteer=True),
    Person(102, "en", quartiere="ospizio"),
    Person(103, "it", quartiere="centro", member_of="spid", volunteer=True),
    Person(104, "en", all_greenways=True),
    Person(105, "de", quartiere="centro", greenway="rodano"),
    Person(106, "it", chosen="en", signup="attended", volunteer=True),
    Person(107, "it", signup="waitlisted", volunteer=True),
    Person(108, "it", quartiere="ospizio", muted=True),
    Person(110, "en", quartiere="ospizio", unreachable=True),
)
CITIZENS = [person.telegram_id for person in TOWN]
PEOPLE = [*CITIZENS, ADMIN_ID]


async def load_town(
    sessions: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, town: tuple[Person, ...]
) -> None:
    await import_catalog_text(
        sessions, CATALOG.read_text(encoding="utf-8"), CATALOG.name, timezone=ROME, now=TEST_NOW
    )
    async with sessions() as session:
        ids = {
            **{q.code: q.id for q in await session.scalars(select(Quartiere))},
            **{p.code: p.id for p in await session.scalars(select(Project))},
            **{g.code: g.id for g in await session.scalars(select(Greenway))},
        }
        shift = await session.scalar(select(Shift.id).where(Shift.code == "orti-sabato"))
        assert shift is not None
        for person in town:
            emulator.register_user(person.telegram_id, language_code=person.language)
            session.add_all(_rows(person, ids, shift))
            await session.flush()
        emulator.register_user(ADMIN_ID, language_code="en")
        session.add(
            User(
                telegram_id=ADMIN_ID,
                telegram_locale="en",
                created_at=TEST_NOW,
                last_seen_at=TEST_NOW,
            )
        )
        await session.commit()


def _rows(person: Person, ids: dict[str, int], shift_id: int) -> list[Any]:
    now = TEST_NOW
    rows: list[Any] = [
        User(
            telegram_id=person.telegram_id,
            telegram_locale=person.language,
            chosen_locale=person.chosen,
            home_quartiere_id=ids[person.quartiere] if person.quartiere else None,
            created_at=now,
            last_seen_at=now,
            all_greenways=person.all_greenways,
            mute_announcements=person.muted,
            unreachable_at=now - timedelta(days=1) if person.unreachable else None,
        )
    ]
    if person.signup:
        rows.append(
            Signup(
                shift_id=shift_id,
                telegram_id=person.telegram_id,
                status=person.signup,
                queued_at=now,
                updated_at=now,
            )
        )
    if person.member_of:
        rows.append(
            ProjectMember(
                project_id=ids[person.member_of],
                telegram_id=person.telegram_id,
                added_by=ADMIN_ID,
                added_at=now,
            )
        )
    if person.greenway:
        rows.append(
            GreenwaySubscription(
                telegram_id=person.telegram_id, greenway_id=ids[person.greenway], created_at=now
            )
        )
    if person.volunteer:
        rows.append(
            Volunteer(
                telegram_id=person.telegram_id,
                full_name=f"Volunteer {person.telegram_id}",
                birth_date=date(1990, 1, 1),
                phone="+393330000000",
                resident=True,
                registered_at=now,
                consent_at=now,
            )
        )
    return rows


async def announce(bot: LiveBot, text: str, audience: str = "all", **draft: Any) -> int:
    """Queues an announcement as an admin would and returns its id."""
    async with bot.sessions() as session:
        progress = await announcements.announce(
            session,
            announcements.Draft(text=text, audience=audience, **draft),
            actor=ADMIN_ID,
            admin_ids=bot.settings.admin_ids,
            now=bot.clock.now(),
            default_locale=bot.settings.default_locale,
        )
    return progress.id


async def settled(bot: LiveBot, announcement_id: int, within: float = 20) -> announcements.Progress:
    """Waits until nothing of the announcement remains to be sent."""
    deadline = asyncio_time() + within
    while True:
        async with bot.sessions() as session:
            progress = await announcements.progress(session, announcement_id)
        if progress.finished:
            return progress
        if asyncio_time() > deadline:
            raise TimeoutError(progress)
        await asyncio.sleep(0.05)


def asyncio_time() -> float:
    return asyncio.get_running_loop().time()


def received(bot: LiveBot, text: str, people: list[int] = PEOPLE) -> dict[int, int]:
    """How many messages showing `text` each person got (those who got any)."""
    counts = {}
    for person in people:
        number = sum(
            1
            for message in bot.emulator.bot_messages(person, include_deleted=True)
            if text in (message.get("text") or message.get("caption") or "")
        )
        if number:
            counts[person] = number
    return counts


async def add_crowd(
    sessions: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, people: range
) -> None:
    """Many more citizens, enough for a sending that lasts several seconds."""
    async with sessions() as session:
        for telegram_id in people:
            emulator.register_user(telegram_id, language_code="it")
            session.add(
                User(
                    telegram_id=telegram_id,
                    telegram_locale="it",
                    created_at=TEST_NOW,
                    last_seen_at=TEST_NOW,
                )
            )
        await session.commit()


AUDIENCES = {
    "all": [101, 102, 103, 104, 105, 106, 107, ADMIN_ID],
    "quartiere:OSPIZIO": [101, 102],
    "quartiere:centro storico": [103, 105],
    "project:orti": [101, 106],
    "project:spid": [103],
    "greenway:crostolo": [101, 104],
    "greenway:rodano": [104, 105],
    "lang:en": [102, 104, 106, ADMIN_ID],
    "lang:it": [101, 103, 105, 107],
    "volunteers": [101, 103, 106, 107],
}
