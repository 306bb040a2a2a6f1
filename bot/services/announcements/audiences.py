"""Who an announcement is for: audiences, their parts in the catalog, their recipients.

An audience is `all`, `quartiere:NAME`, `project:CODE`, `greenway:CODE`, `lang:xx`,
`volunteers`, or several joined by commas; each part is a SELECT of Telegram ids, and the
recipients are their union, each person once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.volunteering.membership import MEMBER_SIGNUP_STATUSES
from bot.settings import SUPPORTED_LOCALES
from storage.repositories import announcements as repo
from storage.repositories import catalog as catalog_repo
from storage.repositories import events as events_repo
from storage.types import Translations


class AudienceError(ValueError):
    """An audience that cannot be used; `str()` is a one-line reason in English."""


class Kind(StrEnum):
    ALL = "all"
    QUARTIERE = "quartiere"
    PROJECT = "project"
    GREENWAY = "greenway"
    LANG = "lang"
    VOLUNTEERS = "volunteers"


KEYED = frozenset({Kind.QUARTIERE, Kind.PROJECT, Kind.GREENWAY, Kind.LANG})


@dataclass(frozen=True)
class AudiencePart:
    kind: Kind
    key: str = ""

    @property
    def spec(self) -> str:
        return f"{self.kind.value}:{self.key}" if self.kind in KEYED else self.kind.value


@dataclass(frozen=True)
class Group:
    """An audience part found in the catalog, with its name for the admin."""

    part: AudiencePart
    name: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """Something an audience can be made of: a quartiere, project, greenway or language."""

    id: int
    key: str
    name: Translations


async def choices(session: AsyncSession, kind: Kind) -> list[Choice]:
    if kind is Kind.QUARTIERE:
        return [
            Choice(q.id, q.code, {"*": q.name}) for q in await catalog_repo.list_quartieri(session)
        ]
    if kind is Kind.PROJECT:
        return [Choice(p.id, p.code, dict(p.title)) for p in await repo.list_projects(session)]
    if kind is Kind.GREENWAY:
        return [
            Choice(g.id, g.code, dict(g.name)) for g in await catalog_repo.list_greenways(session)
        ]
    if kind is Kind.LANG:
        return [Choice(n, code, {"*": code}) for n, code in enumerate(SUPPORTED_LOCALES, 1)]
    return []


def parse_audience(text: str) -> tuple[AudiencePart, ...]:
    """`all`, `quartiere:NAME`, `project:CODE`, `greenway:CODE`, `lang:xx`, `volunteers`,
    or several of them joined by commas."""
    parts: list[AudiencePart] = []
    for item in (piece.strip() for piece in text.split(",")):
        kind_text, _, key = item.partition(":")
        try:
            kind = Kind(kind_text.strip().lower())
        except ValueError:
            raise AudienceError(f"unknown audience {item!r}") from None
        key = key.strip()
        if (kind in KEYED) != bool(key):
            expected = f"{kind.value}:NAME" if kind in KEYED else kind.value
            raise AudienceError(f"audience {item!r}: expected {expected}")
        part = AudiencePart(kind, key.lower() if kind is not Kind.QUARTIERE else key)
        if part not in parts:
            parts.append(part)
    return tuple(parts)


def join_audience(parts: Sequence[AudiencePart]) -> str:
    return ",".join(part.spec for part in parts)


async def describe(session: AsyncSession, audience: str) -> list[Group]:
    """The audience's parts as found in the catalog; unknown names raise AudienceError."""
    groups = []
    for part in parse_audience(audience):
        groups.append(Group(part, await _name_of(session, part)))
    return groups


async def _name_of(session: AsyncSession, part: AudiencePart) -> Translations:
    if part.kind is Kind.QUARTIERE:
        quartiere = await repo.quartiere_named(session, part.key)
        if quartiere is not None:
            return {"*": quartiere.name}
    elif part.kind is Kind.PROJECT:
        project = await catalog_repo.project_by_code(session, part.key)
        if project is not None:
            return dict(project.title)
    elif part.kind is Kind.GREENWAY:
        greenway = await repo.greenway_by_code(session, part.key)
        if greenway is not None:
            return dict(greenway.name)
    elif part.kind is Kind.LANG:
        if part.key in SUPPORTED_LOCALES:
            return {"*": part.key}
    else:
        return {}
    raise AudienceError(f"unknown {part.kind.value}: {part.key}")


async def recipients(
    session: AsyncSession, audience: str, *, urgent: bool, default_locale: str
) -> repo.Ids:
    selects = []
    for part in parse_audience(audience):
        selects.append(await _select_of(session, part, default_locale))
    return repo.reachable(selects, urgent=urgent)


async def _select_of(session: AsyncSession, part: AudiencePart, default_locale: str) -> repo.Ids:
    await _name_of(session, part)  # refuses unknown names first
    if part.kind is Kind.QUARTIERE:
        quartiere = await repo.quartiere_named(session, part.key)
        assert quartiere is not None
        return repo.in_quartiere(quartiere.id)
    if part.kind is Kind.PROJECT:
        project = await catalog_repo.project_by_code(session, part.key)
        assert project is not None
        return repo.volunteers_of(project.id, MEMBER_SIGNUP_STATUSES)
    if part.kind is Kind.GREENWAY:
        greenway = await repo.greenway_by_code(session, part.key)
        assert greenway is not None
        return events_repo.subscribers_of(greenway.id)
    if part.kind is Kind.LANG:
        return repo.speaking(part.key, SUPPORTED_LOCALES, default_locale)
    if part.kind is Kind.VOLUNTEERS:
        return repo.all_volunteers()
    return repo.everyone()


async def count_recipients(
    session: AsyncSession, audience: str, *, urgent: bool, default_locale: str
) -> int:
    """How many people the announcement would reach if it were confirmed now."""
    query = await recipients(session, audience, urgent=urgent, default_locale=default_locale)
    return await repo.count(session, query)
