"""The catalog as parsed from a file: one frozen dataclass per section, and its errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from storage.types import Translations

# Sections that other items refer to by code, and may already be in the database.
REFERABLE_SECTIONS = ("services", "hubs", "greenways")


class Problem(NamedTuple):
    """One thing wrong with a catalog file, at a line (counted from 1)."""

    line: int
    message: str


class CatalogError(Exception):
    """A catalog file that cannot be imported; `errors` holds one `FILE:LINE: message` each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors

    @classmethod
    def from_problems(cls, filename: str, problems: Iterable[Problem]) -> CatalogError:
        return cls(format_problems(filename, problems))


def format_problems(filename: str, problems: Iterable[Problem]) -> list[str]:
    """The problems in line order, each as `FILE:LINE: message`."""
    ordered = sorted(problems, key=lambda problem: problem.line)
    return [f"{filename}:{problem.line}: {problem.message}" for problem in ordered]


@dataclass(frozen=True)
class CodeRef:
    """A reference to another item by its code, with the line it is written on."""

    section: str
    code: str
    line: int


@dataclass(frozen=True)
class QuartiereEntry:
    code: str
    name: str
    consulta: str | None
    lat: float
    lon: float
    line: int


@dataclass(frozen=True)
class ServiceEntry:
    code: str
    name: Translations
    line: int


@dataclass(frozen=True)
class ClosureEntry:
    """Days a hub is closed, `first` to `last` both included, with a note for its visitors."""

    first: date
    last: date
    note: Translations | None
    line: int


@dataclass(frozen=True)
class HubEntry:
    code: str
    name: str
    address: str
    quartiere: str
    lat: float
    lon: float
    phone: str | None
    email: str | None
    opening_hours: str
    services: tuple[CodeRef, ...]
    line: int
    closures: tuple[ClosureEntry, ...] = ()


@dataclass(frozen=True)
class ShiftEntry:
    """A shift; `line` is where its code is written (where it starts when it has none)."""

    code: str | None
    start: datetime
    end: datetime
    capacity: int
    place: Translations | None
    cancelled: bool
    line: int
    start_line: int


@dataclass(frozen=True)
class ProjectEntry:
    code: str
    title: Translations
    description: Translations
    theme: str
    hub: CodeRef | None
    tutors: tuple[int, ...]
    shifts: tuple[ShiftEntry, ...]
    line: int


@dataclass(frozen=True)
class GreenwayEntry:
    code: str
    name: Translations
    description: Translations
    line: int


@dataclass(frozen=True)
class EventEntry:
    code: str
    greenway: CodeRef
    title: Translations
    description: Translations
    start: datetime
    end: datetime
    place: Translations | None
    lat: float | None
    lon: float | None
    cancelled: bool
    line: int


@dataclass(frozen=True)
class Catalog:
    """A parsed catalog file: its items, plus what it defines and refers to by code."""

    filename: str
    quartieri: tuple[QuartiereEntry, ...] = ()
    services: tuple[ServiceEntry, ...] = ()
    hubs: tuple[HubEntry, ...] = ()
    projects: tuple[ProjectEntry, ...] = ()
    greenways: tuple[GreenwayEntry, ...] = ()
    events: tuple[EventEntry, ...] = ()
    # Codes the file defines per section, also those of items with errors, so that a
    # reference to them is not reported as unknown on top of the item's own error.
    defined: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Every reference the file makes, to be checked against the file and the database.
    references: tuple[CodeRef, ...] = ()

    def defines(self, section: str, code: str) -> bool:
        return code in self.defined.get(section, frozenset())
