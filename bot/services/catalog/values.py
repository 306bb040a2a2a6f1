"""Typed values read out of composed YAML nodes, each problem noted with its line."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import TypeAlias
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.services.catalog.limits import telegram_length
from bot.services.catalog.model import CodeRef, Problem
from bot.services.catalog.times import TimeValueError, parse_time
from storage.types import Translations

# libyaml, when installed, composes a large catalog several times faster; the name is
# only evaluated by type checkers, since CSafeLoader is missing without libyaml.
YamlLoader: TypeAlias = "yaml.SafeLoader | yaml.CSafeLoader"

CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CODE_MAX_LENGTH = 64
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_NULL_TAG = "tag:yaml.org,2002:null"
# Telegram ids are stored as BIGINT.
_MAX_ID = 2**63 - 1
# A placeholder for values that could not be read: the item is dropped anyway.
NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def new_loader(text: str) -> YamlLoader:
    return yaml.CSafeLoader(text) if yaml.__with_libyaml__ else yaml.SafeLoader(text)


def is_code(value: str) -> bool:
    return len(value) <= CODE_MAX_LENGTH and CODE.fullmatch(value) is not None


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1 if node.start_mark is not None else 1


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


class Reader:
    """Reads values of the kinds the catalog uses, collecting every problem found."""

    def __init__(self, loader: YamlLoader, zone: ZoneInfo) -> None:
        self.problems: list[Problem] = []
        self._loader = loader
        self._zone = zone

    def problem(self, where: Node | int, message: str) -> None:
        line = where if isinstance(where, int) else line_of(where)
        self.problems.append(Problem(line, message))

    def _construct(self, node: ScalarNode, name: str) -> object:
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self.problem(node, f"{name}: cannot read the value ({error})")
            return None

    def _plain(self, node: Node, name: str, what: str) -> str | None:
        """The text of a scalar as written in the file (so `0522` keeps its leading zero)."""
        if not isinstance(node, ScalarNode) or is_null(node):
            self.problem(node, f"{name} must be {what}")
            return None
        return str(node.value).strip()

    def text(self, node: Node, name: str, *, max_length: int) -> str:
        value = self._plain(node, name, "text")
        if value is None:
            return ""
        if not value:
            self.problem(node, f"{name} must not be empty")
        else:
            self._check_length(node, name, value, max_length)
        return value

    def _check_length(self, node: Node, name: str, value: str, max_length: int) -> None:
        length = telegram_length(value)
        if length > max_length:
            self.problem(node, f"{name} is too long ({length} characters, at most {max_length})")

    def code(self, node: Node, name: str = "code") -> str:
        value = self.text(node, name, max_length=CODE_MAX_LENGTH)
        if value and CODE.fullmatch(value) is None:
            self.problem(
                node,
                f"{name} {value!r} must be lowercase letters, digits and '-', "
                "starting with a letter or a digit",
            )
        return value

    def translatable(self, node: Node, name: str, *, max_length: int) -> Translations:
        if isinstance(node, MappingNode):
            return self._translations(node, name, max_length)
        value = self._plain(node, name, "text or a mapping of languages to text ({it: …, en: …})")
        if value == "":
            self.problem(node, f"{name} must not be empty")
        elif value is not None:
            self._check_length(node, name, value, max_length)
        return {"*": value or ""}

    def _translations(self, node: MappingNode, name: str, max_length: int) -> Translations:
        result: Translations = {}
        if not node.value:
            self.problem(node, f"{name} must give the text in at least one language")
        for key_node, value_node in node.value:
            language = self._plain(key_node, f"{name}: a language", "a language code")
            if language is None:
                continue
            if _LANGUAGE.fullmatch(language) is None:
                self.problem(key_node, f"{name}: {language!r} is not a language code like it or en")
            elif language in result:
                self.problem(key_node, f"{name}: language {language!r} given twice")
            text = self._plain(value_node, f"{name} ({language})", "text")
            if text == "":
                self.problem(value_node, f"{name} ({language}) must not be empty")
            elif text is not None:
                self._check_length(value_node, f"{name} ({language})", text, max_length)
            result[language] = text or ""
        return result

    def number(self, node: Node, name: str, low: float, high: float) -> float:
        value = self._construct(node, name) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(node, f"{name} must be a number between {low:g} and {high:g}")
            return 0.0
        if not (math.isfinite(value) and low <= value <= high):
            self.problem(node, f"{name} must be between {low:g} and {high:g}, got {value}")
        return float(value)

    def integer(self, node: Node, name: str, *, minimum: int, maximum: int = _MAX_ID) -> int:
        value = self._construct(node, name) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(node, f"{name} must be a whole number of at least {minimum}")
            return minimum
        if value < minimum:
            self.problem(node, f"{name} must be at least {minimum}, got {value}")
        elif value > maximum:
            self.problem(node, f"{name} is too large ({value})")
        return value

    def flag(self, node: Node, name: str) -> bool:
        value = self._construct(node, name) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            self.problem(node, f"{name} must be true or false")
            return False
        return value

    def time(self, node: Node, name: str) -> datetime:
        # The text as written: YAML reads some time forms as dates and others as strings.
        value = self._plain(node, name, "a time like 2026-12-01T09:00")
        if value is None:
            return NO_TIME
        try:
            return parse_time(value, self._zone)
        except TimeValueError as error:
            self.problem(node, f"{name}: {error}")
            return NO_TIME

    def day(self, node: Node, name: str) -> date | None:
        # The text as written: YAML reads `2026-12-24` as a date, `2026-12-1` as a string.
        value = self._plain(node, name, "a date like 2026-12-24")
        if value is None:
            return None
        try:
            if len(value) != len("2026-12-24"):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.problem(node, f"{name}: expected a date like 2026-12-24, got {value!r}")
            return None

    def sequence(self, node: Node, name: str) -> list[Node]:
        if is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{name} must be a list")
            return []
        return list(node.value)

    def codes(self, node: Node, name: str, section: str) -> tuple[CodeRef, ...]:
        refs: dict[str, CodeRef] = {}
        for item in self.sequence(node, name):
            code = self.code(item, name)
            if code:
                refs.setdefault(code, CodeRef(section, code, line_of(item)))
        return tuple(refs.values())

    def telegram_ids(self, node: Node, name: str) -> tuple[int, ...]:
        ids: dict[int, None] = {}
        for item in self.sequence(node, name):
            value = self._construct(item, name) if isinstance(item, ScalarNode) else None
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _MAX_ID:
                self.problem(item, f"{name}: each must be a Telegram user id (a positive number)")
                continue
            ids[value] = None
        return tuple(ids)
