"""The fields of one catalog item: unknown, repeated and missing ones are problems."""

from __future__ import annotations

from datetime import date, datetime

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from bot.services.catalog.values import NO_TIME, Reader, YamlLoader, is_null, line_of
from storage.types import Translations


class Fields:
    """One item's fields by name, checked against the names its section knows."""

    def __init__(
        self, reader: Reader, loader: YamlLoader, node: Node, kind: str, known: tuple[str, ...]
    ) -> None:
        self.reader = reader
        self.kind = kind
        self.line = line_of(node)
        self._nodes: dict[str, Node] = {}
        if not isinstance(node, MappingNode):
            reader.problem(node, f"each {kind} must be a mapping of fields (name: value)")
            return
        try:
            # Resolves YAML merge keys (`<<: *defaults`), so shared defaults work.
            loader.flatten_mapping(node)
        except yaml.YAMLError as error:
            reader.problem(node, f"{kind}: cannot merge fields ({error})")
            return
        for key, value in node.value:
            self._add(key, value, known)

    def _add(self, key: Node, value: Node, known: tuple[str, ...]) -> None:
        name = key.value if isinstance(key, ScalarNode) else None
        if not isinstance(name, str) or name not in known:
            shown = name if isinstance(name, str) else "(not a name)"
            self.reader.problem(
                key, f"unknown field {shown!r} in {self.kind}; known fields: {', '.join(known)}"
            )
        elif name in self._nodes:
            self.reader.problem(key, f"field {name!r} given twice in this {self.kind}")
        else:
            self._nodes[name] = value

    def line_of(self, name: str) -> int:
        """The line of a field's value, or of the item when the field is absent."""
        node = self._nodes.get(name)
        return self.line if node is None else line_of(node)

    def required(self, name: str) -> Node | None:
        node = self._nodes.get(name)
        if node is None or is_null(node):
            self.reader.problem(node or self.line, f"{self.kind}: missing {name}")
            return None
        return node

    def optional(self, name: str) -> Node | None:
        node = self._nodes.get(name)
        return None if node is None or is_null(node) else node

    def text(self, name: str, *, max_length: int) -> str:
        node = self.required(name)
        return "" if node is None else self.reader.text(node, name, max_length=max_length)

    def maybe_text(self, name: str, *, max_length: int) -> str | None:
        node = self.optional(name)
        return None if node is None else self.reader.text(node, name, max_length=max_length)

    def code(self, name: str = "code") -> str:
        node = self.required(name)
        return "" if node is None else self.reader.code(node, name)

    def translatable(self, name: str, *, max_length: int) -> Translations:
        node = self.required(name)
        return {} if node is None else self.reader.translatable(node, name, max_length=max_length)

    def maybe_translatable(self, name: str, *, max_length: int) -> Translations | None:
        node = self.optional(name)
        if node is None:
            return None
        return self.reader.translatable(node, name, max_length=max_length)

    def number(self, name: str, low: float, high: float) -> float:
        node = self.required(name)
        return 0.0 if node is None else self.reader.number(node, name, low, high)

    def maybe_number(self, name: str, low: float, high: float) -> float | None:
        node = self.optional(name)
        return None if node is None else self.reader.number(node, name, low, high)

    def flag(self, name: str) -> bool:
        node = self.optional(name)
        return False if node is None else self.reader.flag(node, name)

    def time(self, name: str) -> tuple[datetime, int]:
        """The time and the line it is written on."""
        node = self.required(name)
        if node is None:
            return NO_TIME, self.line
        return self.reader.time(node, name), line_of(node)

    def day(self, name: str) -> date | None:
        node = self.required(name)
        return None if node is None else self.reader.day(node, name)
