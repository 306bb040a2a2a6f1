"""The hub editor's endpoints: admins only, the import's messages per field, a stale form 409."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Hub
from tests.support.fixtures import ADMIN_ID
from tests.webapp.signed import init_data, mini_app_client, signed_in

Factory = async_sessionmaker[AsyncSession]
Loader = Callable[[str], Awaitable[Any]]
TUTOR, CITIZEN, SECOND_ADMIN = 7001, 4321, 9002
API = "/app/api/"


def _form(hub: dict[str, Any], **changes: Any) -> dict[str, Any]:
    fields = ("id", "version", "address", "phone", "email", "opening_hours", "services")
    return {**{name: hub[name] for name in fields}, **changes}


async def test_admins_list_and_open_hubs_and_others_are_refused(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")  # casa-test, and 7001 its project's tutor
    async with mini_app_client(session_factory) as client:
        admin = signed_in(init_data(ADMIN_ID, language="en"))
        listed = await client.get(API + "hubs", headers=admin)
        assert listed.status == 200
        (line,) = (await listed.json())["hubs"]
        assert line["name"] == "Casa di quartiere Test"
        opened = await client.get(API + f"hub?id={line['id']}", headers=admin)
        hub = await opened.json()
        assert (hub["address"], hub["version"], hub["closures"]) == (
            "Via Example 9, Reggio Emilia",
            1,
            [],
        )
        assert hub["texts"]["hub_address"] == "Address"
        for person in (TUTOR, CITIZEN):
            refused = await client.get(API + "hubs", headers=signed_in(init_data(person)))
            assert (refused.status, await refused.json()) == (403, {"error": "forbidden"})
            saved = await client.post(
                API + "hub/save", json=_form(hub), headers=signed_in(init_data(person))
            )
            assert saved.status == 403
        forged = init_data(ADMIN_ID, token="123456:forged-token-of-someone-else")
        assert (await client.get(API + "hubs", headers=signed_in(forged))).status == 401


async def test_a_refused_field_is_answered_422_with_the_imports_message(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    admin = signed_in(init_data(ADMIN_ID, language="it"))
    async with mini_app_client(session_factory) as client:
        (line,) = (await (await client.get(API + "hubs", headers=admin)).json())["hubs"]
        hub = await (await client.get(API + f"hub?id={line['id']}", headers=admin)).json()
        refused = await client.post(
            API + "hub/save", json=_form(hub, phone="call us"), headers=admin
        )
        assert refused.status == 422
        assert await refused.json() == {
            "error": "form",
            "fields": {"phone": "phone 'call us' is not a phone number"},
        }


async def test_a_second_admins_stale_form_is_refused_and_saves_nothing(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    first = signed_in(init_data(ADMIN_ID, language="en"))
    second = signed_in(init_data(SECOND_ADMIN, language="en"))
    async with mini_app_client(session_factory, admin_ids=(ADMIN_ID, SECOND_ADMIN)) as client:
        (line,) = (await (await client.get(API + "hubs", headers=first)).json())["hubs"]
        url = API + f"hub?id={line['id']}"
        mine = await (await client.get(url, headers=first)).json()
        theirs = await (await client.get(url, headers=second)).json()

        saved = await client.post(
            API + "hub/save", json=_form(mine, address="Via Nuova 1"), headers=first
        )
        assert saved.status == 200
        assert (await saved.json())["version"] == 2
        stale = await client.post(
            API + "hub/save", json=_form(theirs, address="Via Vecchia 2"), headers=second
        )
        assert stale.status == 409
        assert await stale.json() == {
            "error": "changed",
            "message": "Someone changed this meanwhile: reload it and try again.",
        }
        closing = {"id": line["id"], "version": 1, "from": "2026-12-07", "to": "2026-12-13"}
        stale_closure = await client.post(API + "hub/closures/add", json=closing, headers=second)
        assert stale_closure.status == 409
    async with session_factory() as session:
        hub = await session.scalar(select(Hub).where(Hub.id == line["id"]))
        assert hub is not None and (hub.address, hub.version) == ("Via Nuova 1", 2)


async def test_an_admin_adds_and_removes_a_closure(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory) as client:
        (line,) = (await (await client.get(API + "hubs", headers=admin)).json())["hubs"]
        closing = {
            "id": line["id"],
            "version": 1,
            "from": "2026-12-07",
            "to": "2026-12-13",
            "note_en": "Works",
        }
        added = await client.post(API + "hub/closures/add", json=closing, headers=admin)
        hub = await added.json()
        saved = await client.post(
            API + "hub/save", json=_form(hub, services=["bowling"]), headers=admin
        )
        assert (await saved.json())["fields"] == {"services": "unknown service 'bowling'"}
        (closure,) = hub["closures"]
        assert (hub["message"], hub["version"]) == ("Closure added.", 2)
        assert (closure["when"], closure["note"]) == ("Mon 7 Dec 2026 to Sun 13 Dec 2026", "Works")
        removing = {"id": line["id"], "version": 2, "closure": closure["id"]}
        removed = await client.post(API + "hub/closures/remove", json=removing, headers=admin)
        assert (await removed.json())["closures"] == []


async def test_a_closure_over_shifts_names_them_to_be_moved_or_cancelled(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")  # Shared gardens at casa-test: two shifts on Sat 5 Dec
    admin = signed_in(init_data(ADMIN_ID, language="it"))
    async with mini_app_client(session_factory) as client:
        (line,) = (await (await client.get(API + "hubs", headers=admin)).json())["hubs"]
        closing = {"id": line["id"], "version": 1, "from": "2026-12-05", "to": "2026-12-05"}
        added = await client.post(API + "hub/closures/add", json=closing, headers=admin)
        message = (await added.json())["message"]
    assert message.startswith("Chiusura aggiunta. Questi turni cadono nei giorni di chiusura")
    assert "Orti condivisi, sab 5 dic 09:00 e Orti condivisi, sab 5 dic 11:00" in message
    assert message.endswith("Spostali o annullali.")
