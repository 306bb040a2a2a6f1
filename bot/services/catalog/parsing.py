"""Parsing and checking a catalog file (YAML), reporting every problem with its line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from bot.services.catalog.model import Catalog, CatalogError, Problem
from bot.services.catalog.sections import SectionReader
from bot.services.catalog.values import YamlLoader, line_of, new_loader

__all__ = ["Catalog", "CatalogError", "parse_catalog", "read_catalog"]

# In the order they are read: quartieri come first, hubs name them.
SECTIONS = ("quartieri", "services", "hubs", "projects", "greenways", "events")

Entry = TypeVar("Entry")


def parse_catalog(text: str, filename: str, *, timezone: ZoneInfo) -> Catalog:
    """The catalog in `text`, or CatalogError listing every problem as `FILE:LINE: message`.

    References to services, hubs and greenways are only collected here: they may name
    items already in the database (see `bot.services.catalog.importing.import_catalog`).
    """
    catalog, problems = read_catalog(text, filename, timezone=timezone)
    if problems:
        raise CatalogError.from_problems(filename, problems)
    return catalog


def read_catalog(text: str, filename: str, *, timezone: ZoneInfo) -> tuple[Catalog, list[Problem]]:
    """The valid items of the file and the problems found; the codes of invalid ones are kept."""
    loader = new_loader(text)
    try:
        return _read(loader, filename, timezone)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = error.problem or error.context or "unreadable"
        return Catalog(filename), [Problem(line, f"not valid YAML: {reason}")]
    except yaml.YAMLError as error:
        return Catalog(filename), [Problem(1, f"not valid YAML: {error}")]
    finally:
        loader.dispose()


def _read(loader: YamlLoader, filename: str, zone: ZoneInfo) -> tuple[Catalog, list[Problem]]:
    root = loader.get_single_node()
    sections = SectionReader(loader, zone)
    nodes = _sections(sections, root)
    catalog = Catalog(
        filename=filename,
        quartieri=_items(sections, nodes, "quartieri", sections.quartiere),
        services=_items(sections, nodes, "services", sections.service),
        hubs=_items(sections, nodes, "hubs", sections.hub),
        projects=_items(sections, nodes, "projects", sections.project),
        greenways=_items(sections, nodes, "greenways", sections.greenway),
        events=_items(sections, nodes, "events", sections.event),
        defined={name: frozenset(codes) for name, codes in sections.defined.items()},
        references=tuple(sections.references),
    )
    return catalog, sections.reader.problems


def _sections(sections: SectionReader, root: Node | None) -> dict[str, Node]:
    """The top-level sections by name; an empty file is an empty catalog."""
    if root is None or (isinstance(root, ScalarNode) and root.tag == "tag:yaml.org,2002:null"):
        return {}
    if not isinstance(root, MappingNode):
        sections.reader.problem(root, f"a catalog is a mapping of sections ({', '.join(SECTIONS)})")
        return {}
    nodes: dict[str, Node] = {}
    key_lines: dict[str, int] = {}
    for key, value in root.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if not isinstance(name, str) or name not in SECTIONS:
            shown = name if isinstance(name, str) else "(not a name)"
            known = ", ".join(SECTIONS)
            sections.reader.problem(key, f"unknown section {shown!r}; known sections: {known}")
        elif name in nodes:
            sections.reader.problem(
                key, f"section {name!r} given twice (first at line {key_lines[name]})"
            )
        else:
            nodes[name] = value
            key_lines[name] = line_of(key)
    return nodes


def _items(
    sections: SectionReader,
    nodes: dict[str, Node],
    name: str,
    read: Callable[[Node], Entry | None],
) -> tuple[Entry, ...]:
    node = nodes.get(name)
    if node is None:
        return ()
    entries = (read(item) for item in sections.reader.sequence(node, name))
    return tuple(entry for entry in entries if entry is not None)
