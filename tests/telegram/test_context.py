"""The per-update actor: who counts as an admin, and what each role may reach."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.people import roles
from bot.services.people.roles import Actor, Role
from storage.models import Staff

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CONFIGURED = (111,)


async def test_the_admins_are_admin_ids_and_the_staff_appointed_as_admins(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        session.add(Staff(telegram_id=501, role=Role.ADMIN.value, created_at=NOW))
        session.add(Staff(telegram_id=502, role=Role.TUTOR.value, created_at=NOW))
        await session.commit()

        assert await roles.admins(session, CONFIGURED) == {111, 501}
        for telegram_id in (111, 501):
            assert (await roles.actor_of(session, telegram_id, CONFIGURED)).is_admin
        tutor = await roles.actor_of(session, 502, CONFIGURED)
        assert (tutor.role, tutor.projects) == (Role.TUTOR, frozenset())
        assert await roles.actor_of(session, 503, CONFIGURED) == Actor(503)


def test_a_tutor_manages_only_their_projects_and_an_admin_every_one() -> None:
    tutor = Actor(502, Role.TUTOR, frozenset({7}))
    admin = Actor(501, Role.ADMIN)
    citizen = Actor(503)

    assert tutor.may_manage(7) and not tutor.may_manage(8)
    assert admin.may_manage(8)
    assert not citizen.may_manage(7)


def test_an_admin_holds_every_role_a_tutor_the_staff_one_and_a_citizen_none() -> None:
    tutor, admin, citizen = Actor(502, Role.TUTOR, frozenset({7})), Actor(501, Role.ADMIN), Actor(3)

    assert admin.holds(Role.ADMIN) and admin.holds(Role.TUTOR)
    assert tutor.holds(Role.TUTOR) and not tutor.holds(Role.ADMIN)
    assert not citizen.holds(Role.TUTOR) and not citizen.holds(Role.ADMIN)
