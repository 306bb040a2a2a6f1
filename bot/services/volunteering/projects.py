"""Browsing civic volunteering projects and their next shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.volunteering.reminder_times import PROGRAMME_ZONE
from bot.services.volunteering.shifts import OpenShift, next_shifts
from storage.repositories import catalog as catalog_repo
from storage.repositories import projects as repo
from storage.types import Translations

RECENT = timedelta(days=7)
KNOWN_THEMES = ("prossimita", "sostenibilita", "greenway", "spazi-pubblici", "digitale")


@dataclass(frozen=True)
class ProjectLine:
    id: int
    code: str
    title: Translations
    theme: str


@dataclass(frozen=True)
class ProjectPage:
    projects: tuple[ProjectLine, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class ProjectCard:
    id: int
    code: str
    title: Translations
    description: Translations
    theme: str
    hub_name: str | None
    hub_quartiere: str | None
    tutors: tuple[str | None, ...]  # None for a tutor whose name is not known
    shifts: tuple[OpenShift, ...]


async def project_page(
    session: AsyncSession,
    *,
    theme: str | None,
    quartiere: str | None,
    page: int,
    size: int,
) -> ProjectPage:
    page = max(page, 0)
    rows, total = await repo.list_projects(session, theme, quartiere, page * size, size)
    pages = max(1, -(-total // size))
    if page >= pages and total:
        return await project_page(
            session, theme=theme, quartiere=quartiere, page=pages - 1, size=size
        )
    lines = tuple(ProjectLine(p.id, p.code, p.title, p.theme) for p in rows)
    return ProjectPage(lines, total, page, pages)


async def filter_choices(session: AsyncSession) -> tuple[list[str], list[str]]:
    """The themes and the quartieri that have projects."""
    return await repo.themes(session), await repo.project_quartieri(session)


async def project_card(
    session: AsyncSession, project_id: int, now: datetime, *, staff: bool = False
) -> ProjectCard | None:
    """The card; staff also see the shifts of the past week, to mark attendance."""
    project = await catalog_repo.get_project(session, project_id)
    if project is None:
        return None
    hub = await repo.get_hub(session, project.hub_id) if project.hub_id else None
    return ProjectCard(
        id=project.id,
        code=project.code,
        title=project.title,
        description=project.description,
        theme=project.theme,
        hub_name=hub.name if hub else None,
        hub_quartiere=hub.quartiere if hub else None,
        tutors=tuple(await repo.tutor_names(session, project.id)),
        # Staff see every shift, also those on days the hub is closed: theirs to sort out.
        shifts=tuple(
            await next_shifts(session, project, now, recent=RECENT)
            if staff
            else await next_shifts(session, project, now, offered_in=PROGRAMME_ZONE)
        ),
    )
