"""The hub form's values checked by the catalog import's own reader, problem by problem.

The form is turned into the YAML nodes a catalog file would give for the hub (the fields
it does not edit taken from the database), each field on a line of its own; the import's
`SectionReader.hub` and its check of service codes against the database then find exactly
the problems an import would, and each problem's line names the form field it belongs to.
The messages are the import's, without its `FILE:LINE: ` prefix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.services.catalog.checks import check_against_database
from bot.services.catalog.model import Catalog, HubEntry
from bot.services.catalog.sections import SectionReader
from bot.services.catalog.values import new_loader
from storage.models import Hub, HubClosure
from storage.types import Translations

_STR, _FLOAT, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null"
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"

# The line each form field is written on; the closure being added starts at NEW_CLOSURE,
# the hub's stored closures at STORED_CLOSURES, STORED_STEP lines apart.
FIELD_LINES = MappingProxyType(
    {"address": 3, "phone": 7, "email": 8, "opening_hours": 9, "services": 10, "closures": 11}
)
NEW_CLOSURE = 20
_CLOSURE_FIELDS = ("from", "from", "to", "note_it", "note_en")  # by line from NEW_CLOSURE
STORED_CLOSURES, STORED_STEP = 100, 10
_AT_LINE = re.compile(r"the one at line (\d+)")


@dataclass(frozen=True)
class HubFields:
    """What the form edits; empty phone or email means none."""

    address: str
    phone: str
    email: str
    opening_hours: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class ClosureFields:
    first: str  # as the date input sends it: 2026-12-24
    last: str
    note_it: str
    note_en: str


def _mark(line: int) -> Mark:
    return Mark("form", 0, line - 1, 0, "", 0)


def _scalar(value: str | None, line: int, tag: str = _STR) -> ScalarNode:
    mark = _mark(line)
    if value is None:
        return ScalarNode(_NULL, "", mark, mark)
    return ScalarNode(tag, value, mark, mark)


def _mapping(pairs: Sequence[tuple[str, Node]], line: int) -> MappingNode:
    mark = _mark(line)
    return MappingNode(
        _MAP, [(_scalar(key, node_line(node)), node) for key, node in pairs], mark, mark
    )


def node_line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _note(note: Mapping[str, str] | None, line: int) -> Node:
    given = [(lang, text) for lang, text in (note or {}).items() if text.strip()]
    if not given:
        return _scalar(None, line)
    return _mapping([(lang, _scalar(text, line + i)) for i, (lang, text) in enumerate(given)], line)


def _closure_node(first: str, last: str, note: Mapping[str, str] | None, line: int) -> MappingNode:
    pairs: list[tuple[str, Node]] = [
        ("from", _scalar(first or None, line + 1)),
        ("to", _scalar(last or None, line + 2)),
        ("note", _note(note, line + 3)),
    ]
    return _mapping(pairs, line)


def _optional(value: str, line: int) -> ScalarNode:
    return _scalar(value.strip() or None, line)


def _hub_node(
    hub: Hub, fields: HubFields, closures: Sequence[HubClosure], new: ClosureFields | None
) -> MappingNode:
    items: list[Node] = [
        _closure_node(
            row.first_day.isoformat(),
            row.last_day.isoformat(),
            _stored_note(row.note),
            STORED_CLOSURES + STORED_STEP * index,
        )
        for index, row in enumerate(closures)
    ]
    if new is not None:
        note = {"it": new.note_it, "en": new.note_en}
        items.append(_closure_node(new.first.strip(), new.last.strip(), note, NEW_CLOSURE))
    lines = FIELD_LINES
    services = [_scalar(code, lines["services"]) for code in fields.services]
    pairs: list[tuple[str, Node]] = [
        ("code", _scalar(hub.code, 1)),
        ("name", _scalar(hub.name, 2)),
        ("address", _scalar(fields.address.strip(), lines["address"])),
        ("quartiere", _scalar(hub.quartiere, 4)),
        ("lat", _scalar(repr(hub.lat), 5, _FLOAT)),
        ("lon", _scalar(repr(hub.lon), 6, _FLOAT)),
        ("phone", _optional(fields.phone, lines["phone"])),
        ("email", _optional(fields.email, lines["email"])),
        ("opening_hours", _scalar(fields.opening_hours.strip(), lines["opening_hours"])),
        ("services", SequenceNode(_SEQ, services, _mark(lines["services"]), None)),
        ("closures", SequenceNode(_SEQ, items, _mark(lines["closures"]), None)),
    ]
    return _mapping(pairs, 1)


def _stored_note(note: Translations | None) -> dict[str, str] | None:
    return dict(note) if note else None


def _field_of(line: int) -> str:
    for name, field_line in FIELD_LINES.items():
        if line == field_line:
            return name
    if NEW_CLOSURE <= line < NEW_CLOSURE + len(_CLOSURE_FIELDS):
        return _CLOSURE_FIELDS[line - NEW_CLOSURE]
    # An overlap is reported on the later closure's line: a stored one when the new is earlier.
    return "from" if line >= STORED_CLOSURES else "form"


def _without_lines(message: str, closures: Sequence[HubClosure], new: ClosureFields | None) -> str:
    """A form has no lines: the closure a message points at by line is named by its days."""

    def days(match: re.Match[str]) -> str:
        line = int(match.group(1))
        if line == NEW_CLOSURE and new is not None:
            return f"the one from {new.first} to {new.last}"
        row = closures[(line - STORED_CLOSURES) // STORED_STEP]
        return f"the one from {row.first_day.isoformat()} to {row.last_day.isoformat()}"

    return _AT_LINE.sub(days, message)


@dataclass(frozen=True)
class Checked:
    entry: HubEntry | None  # None when there are problems
    problems: dict[str, str]  # form field -> the import's message


async def check_hub(
    session: AsyncSession,
    hub: Hub,
    fields: HubFields,
    closures: Sequence[HubClosure],
    zone: ZoneInfo,
    new: ClosureFields | None = None,
) -> Checked:
    """The hub as the import would read it, or the problems per field (the first of each)."""
    loader = new_loader("")
    try:
        reader = SectionReader(loader, zone)
        entry = reader.hub(_hub_node(hub, fields, closures, new))
        problems = list(reader.reader.problems)
    finally:
        loader.dispose()
    if entry is not None:
        catalog = Catalog("form", hubs=(entry,), references=tuple(reader.references))
        _, found = await check_against_database(session, catalog)
        problems += found
    refused: dict[str, str] = {}
    for problem in sorted(problems, key=lambda problem: problem.line):
        message = _without_lines(problem.message, closures, new)
        refused.setdefault(_field_of(problem.line), message)
    return Checked(None if refused else entry, refused)


def closure_days(entry: HubEntry) -> tuple[date, date, Translations | None]:
    """The new closure as the reader read it (it is the one not among the stored)."""
    found = next(c for c in entry.closures if c.line == NEW_CLOSURE)
    return found.first, found.last, found.note
