"""The local demo's cast and the database they find: personas, sample catalog, staff.

`quartiere-bot demo` (bot/runtime/demo.py) calls `prepare_demo` on a new database. Four
personas with fixed Telegram ids play the programme's roles:

- the citizen knows nothing yet: finds hubs and, if they like, joins the volunteer register;
- the volunteer is already in the register (not yet verified by a tutor), so signing up for
  a shift takes two presses;
- the tutor tutors every sample project (the sample's placeholder tutors are replaced by them);
- the admin is an admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import ImportSummary, import_catalog_text
from bot.services.catalog.sample import SAMPLE_FILENAME, sample_catalog_text
from bot.services.people import staff
from bot.services.people.roles import Role
from bot.services.people.users import record_visit
from bot.services.volunteering import register

_TUTORS = re.compile(r"^(?P<head>[ \t]*tutors:[ \t]*)\[[^\]]*\]", re.MULTILINE)


@dataclass(frozen=True)
class Persona:
    key: str
    telegram_id: int
    first_name: str
    last_name: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


CITIZEN = Persona("citizen", 7001, "Giulia", "Ferrari", "+393330007001")
VOLUNTEER = Persona("volunteer", 7002, "Marco", "Bianchi", "+393330007002")
TUTOR = Persona("tutor", 7003, "Anna", "Rinaldi", "+393330007003")
ADMIN = Persona("admin", 7004, "Paolo", "Conti", "+393330007004")
PERSONAS = (CITIZEN, VOLUNTEER, TUTOR, ADMIN)
VOLUNTEER_BIRTH_DATE = date(1990, 5, 24)


@dataclass(frozen=True)
class Neighbourhood:
    """A sample quartiere, offered as a place to send a location from."""

    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DemoCatalog:
    summary: ImportSummary
    neighbourhoods: tuple[Neighbourhood, ...]
    project_codes: tuple[str, ...]


def demo_catalog_text(today: date) -> str:
    """The sample catalog, dated after `today`, with the tutor persona as every project's tutor."""
    return _TUTORS.sub(rf"\g<head>[{TUTOR.telegram_id}]", sample_catalog_text(today))


async def prepare_demo(
    sessions: async_sessionmaker[AsyncSession], *, timezone: ZoneInfo, now: datetime
) -> DemoCatalog:
    """Loads the sample catalog and sets up the personas; the database should be new."""
    today = now.astimezone(timezone).date()
    text = demo_catalog_text(today)
    summary = await import_catalog_text(sessions, text, SAMPLE_FILENAME, timezone=timezone, now=now)
    content = yaml.safe_load(text)
    projects = tuple(str(project["code"]) for project in content.get("projects", []))
    async with sessions() as session:
        for persona in PERSONAS:
            await record_visit(session, persona.telegram_id, None, now, persona.first_name)
        form = register.Form(
            full_name=VOLUNTEER.full_name,
            birth_date=VOLUNTEER_BIRTH_DATE,
            phone=VOLUNTEER.phone,
            resident=True,
            consent=True,
        )
        await register.join_register(session, VOLUNTEER.telegram_id, form, now=now, today=today)
        await staff.add_staff(session, TUTOR.telegram_id, Role.TUTOR, list(projects), now)
        await staff.add_staff(session, ADMIN.telegram_id, Role.ADMIN, [], now)
    neighbourhoods = tuple(
        Neighbourhood(str(item["name"]), float(item["lat"]), float(item["lon"]))
        for item in content.get("quartieri", [])
    )
    return DemoCatalog(summary, neighbourhoods, projects)
