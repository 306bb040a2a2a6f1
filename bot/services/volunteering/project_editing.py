"""The programme office edits a project from the staff Mini App: texts, theme, hub.

Each use case checks the role again (PermissionError), checks the form with the catalog
import's own rules (project_form.py), writes the change and its audit entry
(`project.updated`, target `project:ID`) in one transaction, then commits. A save names the
version the form was opened on: a project saved meanwhile (by someone else or an import) is
refused whole, nothing written. The bot reads projects afresh for every view (no cache),
so a saved title shows at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import audit
from bot.services.people.roles import Actor, Role
from bot.services.volunteering.project_form import (
    LANGUAGES,
    TEXT_FIELDS,
    ProjectForm,
    checked_project,
)
from storage.models import Project
from storage.repositories import project_editing as repo
from storage.types import Translations


class ProjectChangedMeanwhile(Exception):
    """The project's version is not the form's (or it is gone): nothing was saved."""


@dataclass(frozen=True)
class ProjectLine:
    id: int
    code: str
    title: Translations


@dataclass(frozen=True)
class HubChoice:
    code: str
    name: str


@dataclass(frozen=True)
class ProjectFormValues:
    """A project as the edit form opens it: texts per language, theme, hub code, version."""

    id: int
    code: str
    values: Mapping[str, str]
    version: int
    hubs: tuple[HubChoice, ...]  # every hub, by name
    themes: tuple[str, ...]  # the themes projects have now, by code


def _audit_target(project_id: int) -> str:
    return f"project:{project_id}"


def _require_admin(actor: Actor) -> None:
    if not actor.holds(Role.ADMIN):
        raise PermissionError("editing projects is for admins")


async def list_projects(session: AsyncSession, actor: Actor) -> list[ProjectLine]:
    _require_admin(actor)
    return [ProjectLine(p.id, p.code, p.title) for p in await repo.projects_by_code(session)]


def _texts(translations: Translations | None) -> dict[str, str]:
    """Per form language; a text the same in every language (`*`) fills each."""
    found = dict(translations or {})
    every = found.get("*")
    return {lang: found.get(lang) or every or "" for lang in LANGUAGES}


async def read_project(session: AsyncSession, actor: Actor, project_id: int) -> ProjectFormValues:
    """The project as its form shows it; ProjectChangedMeanwhile when it is gone."""
    _require_admin(actor)
    project = await session.get(Project, project_id, populate_existing=True)
    if project is None:
        raise ProjectChangedMeanwhile(project_id)
    hubs = await repo.hubs_by_name(session)
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        for lang, text in _texts(getattr(project, name)).items():
            values[f"{name}_{lang}"] = text
    values["theme"] = project.theme
    values["hub"] = next((hub.code for hub in hubs if hub.id == project.hub_id), "")
    themes = sorted({p.theme for p in await repo.projects_by_code(session)})
    return ProjectFormValues(
        project.id,
        project.code,
        values,
        project.version,
        tuple(HubChoice(hub.code, hub.name) for hub in hubs),
        tuple(themes),
    )


async def save_project(
    session: AsyncSession,
    actor: Actor,
    project_id: int,
    version: int,
    form: ProjectForm,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """Saves the form over the project opened at `version`; the new version.

    ProjectFormRefused (per field, the import's messages) or ProjectChangedMeanwhile."""
    _require_admin(actor)
    project = await session.get(Project, project_id)
    if project is None:
        raise ProjectChangedMeanwhile(project_id)
    entry = await checked_project(session, form, project.code, zone)
    hubs = {hub.code: hub.id for hub in await repo.hubs_by_name(session)}
    values = {
        "title": entry.title,
        "description": entry.description,
        "theme": entry.theme,
        "hub_id": hubs[entry.hub.code] if entry.hub is not None else None,
    }
    if not await repo.save_if_version(session, project_id, version, values):
        await session.rollback()
        raise ProjectChangedMeanwhile(project_id)
    session.expire(project)  # the UPDATE went past the identity map
    audit.record(session, actor.telegram_id, "project.updated", _audit_target(project_id), now)
    await session.commit()
    return version + 1
