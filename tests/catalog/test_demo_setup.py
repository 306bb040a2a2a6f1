"""What the local demo's database holds before anyone writes: catalog, personas, staff."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.demo.cast import ADMIN, CITIZEN, TUTOR, VOLUNTEER, prepare_demo
from bot.services.people import staff
from bot.services.people.roles import Role
from bot.services.volunteering import register
from storage.models import Shift
from tests.support.fixtures import ROME

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ROME)


async def test_the_demo_has_the_sample_catalog_its_personas_and_their_roles(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    catalog = await prepare_demo(session_factory, timezone=ROME, now=NOW)
    assert "Centro storico" in [place.name for place in catalog.neighbourhoods]
    assert len(catalog.project_codes) == 10
    async with session_factory() as session:
        members = {member.telegram_id: member for member in await staff.list_staff(session)}
        # The sample's placeholder tutors are replaced by the tutor persona.
        assert set(members) == {TUTOR.telegram_id, ADMIN.telegram_id}
        assert members[TUTOR.telegram_id].role is Role.TUTOR
        assert sorted(members[TUTOR.telegram_id].projects) == sorted(catalog.project_codes)
        assert members[ADMIN.telegram_id].role is Role.ADMIN
        volunteer = await register.volunteer_status(session, VOLUNTEER.telegram_id)
        assert volunteer is not None and volunteer.full_name == "Marco Bianchi"
        assert not volunteer.identity_verified
        assert await register.volunteer_status(session, CITIZEN.telegram_id) is None
        first_shift = await session.scalar(select(func.min(Shift.start_at)))
    assert first_shift is not None
    assert NOW < first_shift.astimezone(ROME) < NOW + timedelta(days=8)  # in the coming days
