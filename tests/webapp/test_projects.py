"""The project editor's endpoints: admins only, the import's messages per field, a stale form
409 saving nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Project
from tests.support.fixtures import ADMIN_ID
from tests.webapp.signed import init_data, mini_app_client, signed_in

Factory = async_sessionmaker[AsyncSession]
Loader = Callable[[str], Awaitable[Any]]
TUTOR, CITIZEN, SECOND_ADMIN = 7001, 4321, 9002
API = "/app/api/"


def _form(project: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"id": project["id"], "version": project["version"], **project["values"], **changes}


async def _open(client: Any, headers: dict[str, str], code: str = "orti") -> dict[str, Any]:
    listed = await (await client.get(API + "projects", headers=headers)).json()
    (line,) = [line for line in listed["projects"] if line["code"] == code]
    return dict(await (await client.get(API + f"project?id={line['id']}", headers=headers)).json())


async def test_admins_list_open_and_save_a_project_and_others_are_refused(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")  # 7001 tutors "orti"
    admin = signed_in(init_data(ADMIN_ID, language="en"))
    async with mini_app_client(session_factory) as client:
        listed = await client.get(API + "projects", headers=admin)
        assert listed.status == 200
        titles = [line["title"] for line in (await listed.json())["projects"]]
        assert titles == ["Shared gardens", "Ago, Filo e Spid (digital help)"]
        project = await _open(client, admin)
        assert (project["title"], project["version"]) == ("Shared gardens", 1)
        assert (project["values"]["theme"], project["values"]["hub"]) == (
            "sostenibilita",
            "casa-test",
        )
        assert {"code": "casa-test", "name": "Casa di quartiere Test"} in project["hubs"]
        assert project["texts"]["title_it"] == "Title in Italian"

        for person in (TUTOR, CITIZEN):
            headers = signed_in(init_data(person))
            refused = await client.get(API + "projects", headers=headers)
            assert (refused.status, await refused.json()) == (403, {"error": "forbidden"})
            saved = await client.post(API + "project/save", json=_form(project), headers=headers)
            assert saved.status == 403

        saved = await client.post(
            API + "project/save", json=_form(project, title_en="Gardens", hub=""), headers=admin
        )
        assert saved.status == 200
        answer = await saved.json()
        assert (answer["title"], answer["version"], answer["message"]) == ("Gardens", 2, "Saved.")
        assert answer["values"]["hub"] == ""


async def test_a_refused_field_is_answered_422_with_the_imports_message(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    admin = signed_in(init_data(ADMIN_ID, language="it"))
    async with mini_app_client(session_factory) as client:
        project = await _open(client, admin)
        refused = await client.post(
            API + "project/save", json=_form(project, hub="casa-altrove"), headers=admin
        )
        assert refused.status == 422
        assert await refused.json() == {
            "error": "form",
            "fields": {"hub": "unknown hub 'casa-altrove'"},
        }


async def test_a_second_admins_stale_form_is_refused_409_and_saves_nothing(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    first = signed_in(init_data(ADMIN_ID, language="en"))
    second = signed_in(init_data(SECOND_ADMIN, language="en"))
    async with mini_app_client(session_factory, admin_ids=(ADMIN_ID, SECOND_ADMIN)) as client:
        mine = await _open(client, first)
        theirs = await _open(client, second)
        saved = await client.post(
            API + "project/save", json=_form(mine, title_en="Mine"), headers=first
        )
        assert saved.status == 200
        stale = await client.post(
            API + "project/save", json=_form(theirs, title_en="Theirs"), headers=second
        )
        assert stale.status == 409
        assert await stale.json() == {
            "error": "changed",
            "message": "Someone changed this meanwhile: reload it and try again.",
        }
    async with session_factory() as session:
        project = await session.scalar(select(Project).where(Project.code == "orti"))
        assert project is not None and (project.title["en"], project.version) == ("Mine", 2)
