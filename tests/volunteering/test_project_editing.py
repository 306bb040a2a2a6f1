"""Editing a project from the Mini App: the import's rules and messages, one save per version,
every save audited, the new title in the bot's views at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import CatalogError, import_catalog_text
from bot.services.catalog.parsing import parse_catalog
from bot.services.people.roles import Actor, Role
from bot.services.volunteering import project_editing as editing
from bot.services.volunteering.project_form import ProjectForm, ProjectFormRefused
from storage.models import AuditEntry, Hub, Project
from tests.support.fixtures import DATA, ROME, TEST_NOW
from tests.support.harness import BotHarness

Factory = async_sessionmaker[AsyncSession]
Loader = Callable[[str], Awaitable[Any]]
ADMIN = Actor(9001, frozenset({Role.ADMIN}))
TUTOR = Actor(7001, frozenset({Role.TUTOR}), frozenset({1}))
GOOD = {
    "title_it": "Orti di tutte e tutti",
    "title_en": "Gardens for everyone",
    "description_it": "Curiamo gli orti.",
    "description_en": "We look after the gardens.",
    "theme": "sostenibilita",
    "hub": "casa-test",
}


async def _project(factory: Factory, code: str = "orti") -> Project:
    async with factory() as session:
        project = await session.scalar(select(Project).where(Project.code == code))
    assert project is not None
    return project


async def _save(factory: Factory, version: int = 1, actor: Actor = ADMIN, **changes: str) -> int:
    project = await _project(factory)
    async with factory() as session:
        return await editing.save_project(
            session,
            actor,
            project.id,
            version,
            ProjectForm.of({**GOOD, **changes}),
            zone=ROME,
            now=TEST_NOW,
        )


async def _audit(factory: Factory) -> list[tuple[int | None, str, str]]:
    async with factory() as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action.like("project.%")))
        return [(row.actor, row.action, row.target) for row in rows]


def _import_message(old: str, new: str) -> str:
    """What the catalog import says about tests/data/projects.yaml with `old` made `new`."""
    text = (DATA / "projects.yaml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(CatalogError) as refused:
        parse_catalog(text.replace(old, new, 1), "projects.yaml", timezone=ROME)
    (error,) = refused.value.errors
    return error.split(": ", 1)[1]  # without its FILE:LINE


async def test_a_saved_project_is_audited_and_its_new_title_shows_in_volunteer(
    harness: BotHarness, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    factory = harness.sessions
    project = await _project(factory)

    assert await _save(factory, hub="") == 2

    async with factory() as session:
        form = await editing.read_project(session, ADMIN, project.id)
    assert form.version == 2
    assert (form.values["title_en"], form.values["hub"]) == ("Gardens for everyone", "")
    assert await _audit(factory) == [(9001, "project.updated", f"project:{project.id}")]
    [listing] = await harness.say(311, "/volunteer", language_code="en")
    assert "Gardens for everyone" in str(listing["reply_markup"])
    assert "Shared gardens" not in str(listing["reply_markup"])


async def test_a_too_long_title_gets_the_imports_own_message_and_nothing_is_saved(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    long = "x" * 151
    expected = _import_message("en: Shared gardens}", f"en: {long}}}")
    assert "too long" in expected

    with pytest.raises(ProjectFormRefused) as refused:
        await _save(session_factory, title_en=long)

    assert refused.value.fields == {"title_en": expected}
    project = await _project(session_factory)
    assert (project.version, project.title["en"]) == (1, "Shared gardens")
    assert await _audit(session_factory) == []


@pytest.mark.parametrize(
    ("field", "value", "old"),
    [
        ("theme", "Green Things", "theme: sostenibilita"),
        ("hub", "casa-altrove", "hub: casa-test"),
    ],
)
async def test_a_bad_theme_or_an_unknown_hub_is_refused_as_the_import_refuses_it(
    session_factory: Factory, load_catalog: Loader, field: str, value: str, old: str
) -> None:
    await load_catalog("projects.yaml")
    with pytest.raises(ProjectFormRefused) as refused:
        await _save(session_factory, **{field: value})
    if field == "theme":
        expected = _import_message(old, f'theme: "{value}"')
    else:  # the file alone is fine: the import finds the unknown hub in the database
        text = (DATA / "projects.yaml").read_text(encoding="utf-8").replace(old, f"hub: {value}")
        with pytest.raises(CatalogError) as imported:
            await import_catalog_text(
                session_factory, text, "projects.yaml", timezone=ROME, now=TEST_NOW
            )
        (error,) = imported.value.errors
        expected = error.split(": ", 1)[1]
    assert refused.value.fields == {field: expected}
    assert (await _project(session_factory)).version == 1


async def test_a_save_on_an_older_version_is_refused_and_saves_nothing(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    assert await _save(session_factory, title_en="First") == 2

    with pytest.raises(editing.ProjectChangedMeanwhile):
        await _save(session_factory, version=1, title_en="Second")

    project = await _project(session_factory)
    assert (project.version, project.title["en"]) == (2, "First")
    assert len(await _audit(session_factory)) == 1


async def test_of_two_saves_at_once_over_the_same_version_one_wins(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    results = await asyncio.gather(
        _save(session_factory, title_en="One"),
        _save(session_factory, title_en="Two"),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in results) == [
        "ProjectChangedMeanwhile",
        "int",
    ]
    assert len(await _audit(session_factory)) == 1


async def test_an_import_that_changes_a_project_makes_an_open_form_stale(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    text = (DATA / "projects.yaml").read_text(encoding="utf-8")
    await import_catalog_text(
        session_factory,
        text.replace("en: Shared gardens}", "en: Shared gardens and more}"),
        "projects.yaml",
        timezone=ROME,
        now=TEST_NOW,
    )
    with pytest.raises(editing.ProjectChangedMeanwhile):
        await _save(session_factory, version=1)
    assert await _save(session_factory, version=2) == 3
    async with session_factory() as session:
        hub = await session.scalar(select(Hub).where(Hub.code == "casa-test"))
        project = await session.scalar(select(Project).where(Project.code == "orti"))
    assert hub is not None and project is not None and project.hub_id == hub.id


async def test_a_tutor_is_refused_by_the_service_itself(
    session_factory: Factory, load_catalog: Loader
) -> None:
    await load_catalog("projects.yaml")
    with pytest.raises(PermissionError):
        await _save(session_factory, actor=TUTOR)
    async with session_factory() as session:
        with pytest.raises(PermissionError):
            await editing.list_projects(session, TUTOR)
