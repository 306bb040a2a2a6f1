"""The Staff section: admins appoint and remove tutors and admins as `quartiere-bot staff`
does (same notices, same hand-over), audited with the admin's id; refusals on their field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.people import staff, staff_editing, users
from bot.services.people.roles import Actor, Role
from storage.models import AuditEntry, Delivery, StaffRemoval
from tests.support.cli import cli
from tests.support.fixtures import ADMIN_ID, TEST_NOW
from tests.support.harness import BotHarness
from tests.support.programme import MARIA, SECOND_TUTOR, TUTOR, prepare
from tests.webapp.signed import init_data, mini_app_client, signed_in

Factory = async_sessionmaker[AsyncSession]
Loader = Callable[[str], Awaitable[Any]]
API = "/app/api/staff/"
CITIZEN, GIULIA, STRANGER, OTHER_ADMIN = 4321, 5555, 6666, 9100


async def _wrote_to_the_bot(sessions: Factory, telegram_id: int, name: str) -> None:
    async with sessions() as session:
        await users.record_visit(session, telegram_id, "en", TEST_NOW, display_name=name)


def _roles(body: dict[str, Any]) -> dict[int, list[tuple[str, list[str]]]]:
    return {
        person["telegram_id"]: [(held["role"], held["scopes"]) for held in person["roles"]]
        for person in body["people"]
    }


async def _audit(sessions: Factory, action: str) -> list[tuple[int | None, str]]:
    async with sessions() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.target).where(AuditEntry.action == action)
        )
        return [(actor, target) for actor, target in rows]


async def test_admins_see_the_staff_and_tutors_and_citizens_are_refused(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")  # 7001 and 7002 tutor orti, 7003 spid-help
    await _wrote_to_the_bot(session_factory, TUTOR, "Anna")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory) as client:
        listed = await client.get(API + "people", headers=admin)
        assert listed.status == 200
        body = await listed.json()
        assert _roles(body) == {
            7001: [("tutor", ["orti"])],
            7002: [("tutor", ["orti"])],
            7003: [("tutor", ["spid-help"])],
        }
        names = [person["name"] for person in body["people"]]
        assert names == ["Anna (7001)", "7002", "7003"]  # a name only when the bot knows it
        assert [p["code"] for p in body["projects"]] == ["orti", "spid-help"]
        assert body["texts"]["heading"] == "Staff"
        appoint = {"telegram_id": TUTOR, "role": "admin"}
        for person in (TUTOR, CITIZEN):
            them = signed_in(init_data(person))
            refused = await client.get(API + "people", headers=them)
            assert (refused.status, await refused.json()) == (403, {"error": "forbidden"})
            assert (await client.post(API + "appoint", json=appoint, headers=them)).status == 403
            removing = {"telegram_id": SECOND_TUTOR, "role": "tutor"}
            assert (await client.post(API + "remove", json=removing, headers=them)).status == 403


async def test_an_appointed_tutor_is_told_and_the_audit_names_the_admin(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    await _wrote_to_the_bot(session_factory, GIULIA, "Giulia")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    form = {"telegram_id": str(GIULIA), "role": "tutor", "projects": ["orti", "spid-help"]}
    async with mini_app_client(session_factory) as client:
        found = await (await client.get(API + "search?q=giu", headers=admin)).json()
        assert found == {"people": [{"telegram_id": GIULIA, "name": "Giulia (5555)"}]}
        appointed = await client.post(API + "appoint", json=form, headers=admin)
        assert appointed.status == 200
        body = await appointed.json()
        again = await client.post(API + "appoint", json=form, headers=admin)  # harmless
        assert again.status == 200 and _roles(await again.json()) == _roles(body)
    assert body["message"] == (
        "Appointed: Giulia (5555) now holds the role tutor and is told so in the chat."
    )
    assert _roles(body)[GIULIA] == [("tutor", ["orti", "spid-help"])]
    async with session_factory() as session:
        told = list(
            await session.scalars(
                select(Delivery.message_key).where(Delivery.recipient_id == GIULIA)
            )
        )
    assert told == ["staff.appointed"]  # once, however many times appointed
    assert (ADMIN_ID, f"user:{GIULIA}") in await _audit(session_factory, "staff.added")


async def test_each_refusal_is_on_its_field_and_changes_nothing(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    await _wrote_to_the_bot(session_factory, GIULIA, "Giulia")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    cases = [
        ({"telegram_id": STRANGER, "role": "admin"}, "telegram_id", "has never written to the bot"),
        ({"telegram_id": "giulia", "role": "admin"}, "telegram_id", "Enter a Telegram id"),
        ({"telegram_id": GIULIA, "role": "tutor", "projects": []}, "projects", "at least one"),
        (
            {"telegram_id": GIULIA, "role": "tutor", "projects": ["orti", "bowling"]},
            "projects",
            "This project does not exist: bowling.",
        ),
        ({"telegram_id": GIULIA, "role": "office"}, "role", "Choose tutor or admin."),
    ]
    async with mini_app_client(session_factory, admin_ids=(ADMIN_ID,)) as client:
        for form, field, words in cases:
            refused = await client.post(API + "appoint", json=form, headers=admin)
            assert refused.status == 422, form
            fields = (await refused.json())["fields"]
            assert list(fields) == [field] and words in fields[field], fields
        listed = await (await client.get(API + "people", headers=admin)).json()
    assert GIULIA not in _roles(listed) and STRANGER not in _roles(listed)


async def test_an_admin_keeps_their_own_admin_role_and_the_italian_says_why(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    await _wrote_to_the_bot(session_factory, OTHER_ADMIN, "Marta")
    async with session_factory() as session:  # with ADMIN_IDS empty, appointed at the server
        await staff.add_staff(session, ADMIN_ID, Role.ADMIN, [], TEST_NOW)
    first = signed_in(init_data(ADMIN_ID, language="en"))
    second = signed_in(init_data(OTHER_ADMIN, language="it"))
    async with mini_app_client(session_factory, admin_ids=()) as client:
        appoint = {"telegram_id": OTHER_ADMIN, "role": "admin"}
        assert (await client.post(API + "appoint", json=appoint, headers=first)).status == 200
        own = await client.post(API + "remove", json=appoint, headers=second)
        assert own.status == 422
        assert (await own.json())["fields"] == {
            "role": "Non puoi togliere il tuo ruolo di amministrazione: chiedi a un'altra "
            "persona che amministra il programma."
        }
        listed = await (await client.get(API + "people", headers=second)).json()
        (me,) = [person for person in listed["people"] if person["telegram_id"] == OTHER_ADMIN]
        assert me["roles"][0]["removable"] is False  # the page offers no button for it
        removed = await client.post(API + "remove", json=appoint, headers=first)
        assert removed.status == 200
        assert (await removed.json())["message"] == (
            "Removed: 9100 no longer holds the role admin."
        )
    assert (ADMIN_ID, f"user:{OTHER_ADMIN}") in await _audit(session_factory, "staff.removed")


async def test_two_admins_removing_each_other_at_once_leave_one(
    session_factory: Factory, load_catalog: Loader
) -> None:
    """The second removal was checked on a page read before the first: the last admin stays."""
    async with session_factory() as session:
        await staff.add_staff(session, ADMIN_ID, Role.ADMIN, [], TEST_NOW)
        await staff.add_staff(session, OTHER_ADMIN, Role.ADMIN, [], TEST_NOW)
    async with session_factory() as session:
        first = Actor(ADMIN_ID, frozenset({Role.ADMIN}))
        await staff_editing.remove(session, first, OTHER_ADMIN, Role.ADMIN, (), TEST_NOW)
    # OTHER_ADMIN's request had been let in as an admin's before the first removal landed.
    stale_actor = Actor(OTHER_ADMIN, frozenset({Role.ADMIN}))
    async with session_factory() as session:
        try:
            await staff_editing.remove(session, stale_actor, ADMIN_ID, Role.ADMIN, (), TEST_NOW)
        except staff_editing.StaffRefused as refused:
            assert (refused.field, refused.refusal) == ("role", staff_editing.Refusal.LAST_ADMIN)
        else:
            raise AssertionError("the last admin was removed")
    async with session_factory() as session:
        assert [m.telegram_id for m in await staff.list_staff(session)] == [ADMIN_ID]


async def test_removing_a_tutor_passes_pending_approvals_on_and_a_stale_removal_is_409(
    harness: BotHarness, load_catalog: Loader
) -> None:
    await prepare(harness.sessions, load_catalog, harness.clock)
    await harness.say(MARIA, "/hours 3 05/12", language_code="en", first_name="Maria")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    removing = {"telegram_id": TUTOR, "role": "tutor"}
    async with mini_app_client(harness.sessions) as client:
        removed = await client.post(API + "remove", json=removing, headers=admin)
        assert removed.status == 200
        body = await removed.json()
        again = await client.post(API + "remove", json=removing, headers=admin)
        assert again.status == 409
        assert (await again.json())["message"].startswith("Someone changed this meanwhile")
    assert body["message"] == (
        "Removed: 7001 no longer holds the role tutor. 1 pending hours report passed on to "
        "the project's other tutors and the admins."
    )
    assert TUTOR not in _roles(body)
    async with harness.sessions() as session:
        rows = await session.execute(
            select(Delivery.recipient_id, Delivery.status).where(
                Delivery.dedup_key.startswith("hours-submitted:")
            )
        )
        notices = {recipient: status for recipient, status in rows}
        removal = await session.get(StaffRemoval, TUTOR)  # no catalog import appoints them again
    assert notices[ADMIN_ID] == "pending" and notices[SECOND_TUTOR] == "pending"
    assert notices[TUTOR] == "cancelled"
    assert removal is not None
    assert (ADMIN_ID, f"user:{TUTOR}") in await _audit(harness.sessions, "staff.removed")


async def test_the_list_shows_what_the_command_line_changed(
    database_url: str, session_factory: Factory, load_catalog: Loader, tmp_path: Path
) -> None:
    await load_catalog("projects.yaml")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    added = cli("staff", "add", str(OTHER_ADMIN), "--role", "admin", database_url=database_url,
                cwd=tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    removed = cli("staff", "remove", str(TUTOR), database_url=database_url, cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    async with mini_app_client(session_factory) as client:
        listed = await (await client.get(API + "people", headers=admin)).json()
    held = _roles(listed)
    assert held[OTHER_ADMIN] == [("admin", [])] and TUTOR not in held
