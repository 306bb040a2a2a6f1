"""A project form from the staff Mini App, checked by the catalog import's own rules.

The form's values are written as one catalog project, one field (or one language) a line,
and read by the import's `SectionReader.project`, then its hub checked against the database
as an import checks it: the same limits, the same messages, no second validator. Each
problem's line then names the form field it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalog.checks import check_against_database
from bot.services.catalog.model import Catalog, ProjectEntry
from bot.services.catalog.sections import SectionReader
from bot.services.catalog.values import new_loader

LANGUAGES = ("it", "en")
TEXT_FIELDS = ("title", "description")
FIELDS = (*(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES), "theme", "hub")


class ProjectFormRefused(Exception):
    """Messages per form field; nothing was saved."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = dict(fields)


@dataclass(frozen=True)
class ProjectForm:
    """What the form sends: texts per language, a theme code, a hub code or "" for none."""

    values: Mapping[str, str]

    @classmethod
    def of(cls, body: Mapping[str, object]) -> ProjectForm:
        return cls({name: _text(body.get(name)) for name in FIELDS})


def _text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _line(name: str, value: str) -> str:
    return name + ": " + value if value else name + ":"


def _lines(form: ProjectForm, code: str) -> tuple[list[str], dict[int, str]]:
    """The catalog project's YAML lines and, per line number, the form field it holds."""
    values = form.values
    lines = [_line("code", json.dumps(code))]
    fields: dict[int, str] = {}
    for name in TEXT_FIELDS:
        given = [lang for lang in LANGUAGES if values[f"{name}_{lang}"]]
        lines.append(_line(name, ""))
        fields[len(lines)] = f"{name}_{LANGUAGES[0]}"  # "must give the text in a language"
        for lang in given or LANGUAGES[:1]:
            lines.append("  " + _line(lang, json.dumps(values[f"{name}_{lang}"])))
            fields[len(lines)] = f"{name}_{lang}"
    lines.append(_line("theme", json.dumps(values["theme"])))
    fields[len(lines)] = "theme"
    if values["hub"]:
        lines.append(_line("hub", json.dumps(values["hub"])))
        fields[len(lines)] = "hub"
    return lines, fields


async def checked_project(
    session: AsyncSession, form: ProjectForm, code: str, zone: ZoneInfo
) -> ProjectEntry:
    """The project as the import would read it, or ProjectFormRefused with its messages."""
    lines, fields = _lines(form, code)
    loader = new_loader("\n".join(lines) + "\n")
    try:
        reader = SectionReader(loader, zone)
        node = loader.get_single_node()
        assert node is not None  # the lines above always compose a mapping
        entry = reader.project(node)
        problems = list(reader.reader.problems)
    finally:
        loader.dispose()
    if entry is not None:
        catalog = Catalog("form", projects=(entry,), references=tuple(reader.references))
        _, found = await check_against_database(session, catalog)
        problems += found
    if problems:
        refused: dict[str, str] = {}
        for problem in sorted(problems, key=lambda problem: problem.line):
            refused.setdefault(fields.get(problem.line, "form"), problem.message)
        raise ProjectFormRefused(refused)
    assert entry is not None
    return entry
