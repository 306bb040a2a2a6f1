"""The per-update actor: who counts as an admin, and what each role may reach."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.people import roles
from bot.services.people.roles import Actor, Role
from storage.models import Project, ProjectTutor, Staff, StaffRole

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
        assert (tutor.roles, tutor.projects) == (frozenset({Role.TUTOR}), frozenset())
        assert await roles.actor_of(session, 503, CONFIGURED) == Actor(503)


def test_a_tutor_manages_only_their_projects_and_an_admin_every_one() -> None:
    tutor = Actor(502, frozenset({Role.TUTOR}), frozenset({7}))
    admin = Actor(501, frozenset({Role.ADMIN}))
    citizen = Actor(503)

    assert tutor.may_manage(7) and not tutor.may_manage(8)
    assert admin.may_manage(8)
    assert not citizen.may_manage(7)


def test_an_admin_holds_the_tutor_role_a_tutor_only_theirs_and_a_citizen_none() -> None:
    tutor, admin, citizen = (
        Actor(502, frozenset({Role.TUTOR}), frozenset({7})),
        Actor(501, frozenset({Role.ADMIN})),
        Actor(3),
    )

    assert admin.holds(Role.ADMIN) and admin.holds(Role.TUTOR)
    assert tutor.holds(Role.TUTOR) and not tutor.holds(Role.ADMIN)
    assert not citizen.holds(Role.TUTOR) and not citizen.holds(Role.ADMIN)


async def test_roles_held_together_are_read_in_one_query(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        session.add(Project(code="orti", title={"it": "Orti"}, description={}, theme="x"))
        await session.flush()
        orti = await session.scalar(select(Project.id).where(Project.code == "orti"))
        assert orti is not None
        for telegram_id, role, scope in (
            (601, StaffRole.TUTOR, ""),
            (601, StaffRole.ADMIN, ""),
            (602, StaffRole.OFFICE, "VERDE"),
            (602, StaffRole.OFFICE, "BLU"),
            (111, StaffRole.DESK, "anagrafe"),
        ):
            session.add(Staff(telegram_id=telegram_id, role=role, scope=scope, created_at=NOW))
        session.add(ProjectTutor(project_id=orti, telegram_id=601))
        # A tutorship left without the tutor's role gives nothing (as `staff remove` leaves none).
        session.add(ProjectTutor(project_id=orti, telegram_id=602))
        await session.commit()

        statements: list[str] = []
        engine = session.bind
        assert isinstance(engine, AsyncEngine)

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            both = await roles.actor_of(session, 601, CONFIGURED)
            assert len(statements) == 1
            office = await roles.actor_of(session, 602, CONFIGURED)
            configured = await roles.actor_of(session, 111, CONFIGURED)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert both.roles == {Role.TUTOR, Role.ADMIN} and both.projects == {orti}
    assert both.is_admin and both.holds(Role.TUTOR) and both.may_manage(orti + 1)
    assert both.menu_role is Role.ADMIN
    # Office only: staff, but no tutor, no admin, no project; its codes come with it.
    assert office.is_staff and not office.holds(Role.TUTOR) and not office.is_admin
    assert office.holds(Role.OFFICE) and not office.holds(Role.DESK)
    assert office.scope_codes(Role.OFFICE) == ("BLU", "VERDE") and not office.may_manage(orti)
    assert office.menu_role is Role.CITIZEN
    # ADMIN_IDS stay admins, whatever else they hold; an admin is no office member unless appointed.
    assert configured.roles == {Role.ADMIN, Role.DESK}
    assert configured.scope_codes(Role.DESK) == ("anagrafe",)
    assert not configured.holds(Role.OFFICE)
