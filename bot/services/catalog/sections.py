"""Reading each catalog section's items, with the rules that concern one file."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]  # untyped in its stubs
from yaml.nodes import Node

from bot.services.catalog import limits
from bot.services.catalog.fields import Fields
from bot.services.catalog.model import (
    ClosureEntry,
    CodeRef,
    EventEntry,
    GreenwayEntry,
    HubEntry,
    ProjectEntry,
    QuartiereEntry,
    ServiceEntry,
    ShiftEntry,
)
from bot.services.catalog.values import Reader, YamlLoader, is_code, line_of

QUARTIERE_FIELDS = ("code", "name", "consulta", "lat", "lon")
SERVICE_FIELDS = ("code", "name")
HUB_FIELDS = (
    "code", "name", "address", "quartiere", "lat", "lon", "phone", "email", "opening_hours",
    "services", "closures",
)  # fmt: skip
CLOSURE_FIELDS = ("from", "to", "note")
PROJECT_FIELDS = ("code", "title", "description", "theme", "hub", "tutors", "shifts")
SHIFT_FIELDS = ("code", "start", "end", "capacity", "place", "cancelled")
GREENWAY_FIELDS = ("code", "name", "description")
EVENT_FIELDS = (
    "code", "greenway", "title", "description", "start", "end", "place", "lat", "lon",
    "cancelled",
)  # fmt: skip

# `/hours 2 oggi orti` reads dates and project codes from the same words.
RESERVED_PROJECT_CODES = frozenset({"today", "oggi", "yesterday", "ieri"})
_DATE_LIKE = re.compile(r"^\d{1,4}(?:-\d{1,2}){1,2}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OH_COLUMN = re.compile(r"-->\s*\d+:(\d+)")
_MAX_CAPACITY = 2**31 - 1


class SectionReader:
    """Reads the items of every section, remembering codes, references and quartiere names."""

    def __init__(self, loader: YamlLoader, zone: ZoneInfo) -> None:
        self.reader = Reader(loader, zone)
        self._loader = loader
        # Per section: code -> line of its first definition.
        self.defined: dict[str, dict[str, int]] = {}
        self.references: list[CodeRef] = []
        # Case-folded quartiere name -> the name as the quartieri section spells it.
        self.quartiere_names: dict[str, str] = {}

    def _fields(self, node: Node, kind: str, known: tuple[str, ...]) -> Fields:
        return Fields(self.reader, self._loader, node, kind, known)

    def _code(self, fields: Fields, section: str, kind: str) -> str:
        code = fields.code()
        if is_code(code):
            self._claim(section, kind, code, fields.line_of("code"))
        return code

    def _claim(self, section: str, kind: str, code: str, line: int) -> None:
        seen = self.defined.setdefault(section, {})
        if code in seen:
            self.reader.problem(
                line, f"duplicate {kind} code {code!r} (first at line {seen[code]})"
            )
        else:
            seen[code] = line

    def quartiere(self, node: Node) -> QuartiereEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "quartiere", QUARTIERE_FIELDS)
        code = self._code(fields, "quartieri", "quartiere")
        name = fields.text("name", max_length=limits.QUARTIERE_NAME)
        if name:
            self.quartiere_names.setdefault(name.casefold(), name)
        entry = QuartiereEntry(
            code=code,
            name=name,
            consulta=fields.maybe_text("consulta", max_length=limits.CONSULTA),
            lat=fields.number("lat", -90, 90),
            lon=fields.number("lon", -180, 180),
            line=fields.line,
        )
        return entry if len(self.reader.problems) == before else None

    def service(self, node: Node) -> ServiceEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "service", SERVICE_FIELDS)
        code = self._code(fields, "services", "service")
        entry = ServiceEntry(
            code=code,
            name=fields.translatable("name", max_length=limits.SERVICE_NAME),
            line=fields.line,
        )
        return entry if len(self.reader.problems) == before else None

    def hub(self, node: Node) -> HubEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "hub", HUB_FIELDS)
        code = self._code(fields, "hubs", "hub")
        services_node = fields.optional("services")
        services = (
            ()
            if services_node is None
            else self.reader.codes(services_node, "services", "services")
        )
        if len(services) > limits.HUB_SERVICES:
            self.reader.problem(
                services_node or fields.line,
                f"a hub lists at most {limits.HUB_SERVICES} services ({len(services)} given)",
            )
        self.references.extend(services)
        entry = HubEntry(
            code=code,
            name=fields.text("name", max_length=limits.HUB_NAME),
            address=fields.text("address", max_length=limits.HUB_ADDRESS),
            quartiere=self._quartiere_name(fields),
            lat=fields.number("lat", -90, 90),
            lon=fields.number("lon", -180, 180),
            phone=self._checked(fields, "phone", _PHONE, "a phone number", limits.HUB_PHONE),
            email=self._checked(fields, "email", _EMAIL, "an email address", limits.HUB_EMAIL),
            opening_hours=self._opening_hours(fields),
            services=services,
            line=fields.line,
            closures=self._closures(fields.optional("closures")),
        )
        return entry if len(self.reader.problems) == before else None

    def _closures(self, node: Node | None) -> tuple[ClosureEntry, ...]:
        """A hub's closures, earliest first; two that share a day are a problem."""
        if node is None:
            return ()
        items = self.reader.sequence(node, "closures")
        if len(items) > limits.HUB_CLOSURES:
            self.reader.problem(
                node, f"a hub lists at most {limits.HUB_CLOSURES} closures ({len(items)} given)"
            )
        closures = sorted(
            (closure for item in items if (closure := self._closure(item)) is not None),
            key=lambda closure: (closure.first, closure.line),
        )
        for earlier, later in pairwise(closures):
            if later.first <= earlier.last:
                self.reader.problem(
                    later.line, f"this closure overlaps the one at line {earlier.line}"
                )
        return tuple(closures)

    def _closure(self, node: Node) -> ClosureEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "closure", CLOSURE_FIELDS)
        first, last = fields.day("from"), fields.day("to")
        if first is not None and last is not None and last < first:
            self.reader.problem(fields.line_of("to"), "closure: to must not be before from")
        note = fields.maybe_translatable("note", max_length=limits.CLOSURE_NOTE)
        if len(self.reader.problems) != before or first is None or last is None:
            return None
        return ClosureEntry(first, last, note, fields.line)

    def _quartiere_name(self, fields: Fields) -> str:
        node = fields.required("quartiere")
        if node is None:
            return ""
        name = self.reader.text(node, "quartiere", max_length=limits.QUARTIERE_NAME)
        # Without a quartieri section in the file, any name will do.
        if not name or not self.quartiere_names:
            return name
        known = self.quartiere_names.get(name.casefold())
        if known is None:
            self.reader.problem(node, f"unknown quartiere {name!r} (not in the quartieri section)")
            return name
        return known

    def _checked(
        self, fields: Fields, name: str, pattern: re.Pattern[str], hint: str, max_length: int
    ) -> str | None:
        node = fields.optional(name)
        if node is None:
            return None
        value = self.reader.text(node, name, max_length=max_length)
        if value and pattern.fullmatch(value) is None:
            self.reader.problem(node, f"{name} {value!r} is not {hint}")
        return value

    def _opening_hours(self, fields: Fields) -> str:
        node = fields.required("opening_hours")
        if node is None:
            return ""
        value = self.reader.text(node, "opening_hours", max_length=limits.OPENING_HOURS)
        if value:
            try:
                OpeningHours(value)
            except ParserError as error:
                where = _OH_COLUMN.search(str(error))
                at = f" (problem at character {where.group(1)})" if where else ""
                self.reader.problem(
                    node, f"opening_hours {value!r} is not OpenStreetMap opening_hours syntax{at}"
                )
        return value

    def project(self, node: Node) -> ProjectEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "project", PROJECT_FIELDS)
        code = self._code(fields, "projects", "project")
        if code in RESERVED_PROJECT_CODES or _DATE_LIKE.fullmatch(code):
            self.reader.problem(
                fields.line_of("code"),
                f"project code {code!r} is reserved: /hours reads it as a date "
                "(today, oggi, yesterday, ieri and dates cannot be project codes)",
            )
        hub_node = fields.optional("hub")
        hub = None if hub_node is None else self._reference(hub_node, "hub", "hubs")
        tutors_node = fields.optional("tutors")
        shifts_node = fields.optional("shifts")
        entry = ProjectEntry(
            code=code,
            title=fields.translatable("title", max_length=limits.PROJECT_TITLE),
            description=fields.translatable("description", max_length=limits.PROJECT_DESCRIPTION),
            theme=fields.code("theme"),
            hub=hub,
            tutors=() if tutors_node is None else self.reader.telegram_ids(tutors_node, "tutors"),
            shifts=() if shifts_node is None else self._shifts(shifts_node),
            line=fields.line,
        )
        return entry if len(self.reader.problems) == before else None

    def _reference(self, node: Node, name: str, section: str) -> CodeRef | None:
        code = self.reader.code(node, name)
        if not is_code(code):
            return None
        ref = CodeRef(section, code, line_of(node))
        self.references.append(ref)
        return ref

    def _shifts(self, node: Node) -> tuple[ShiftEntry, ...]:
        starts: dict[datetime, int] = {}
        shifts: list[ShiftEntry] = []
        for item in self.reader.sequence(node, "shifts"):
            shift = self._shift(item)
            if shift is None:
                continue
            if shift.start in starts:
                self.reader.problem(
                    shift.start_line,
                    "another shift of this project starts at the same time "
                    f"(line {starts[shift.start]})",
                )
                continue
            starts[shift.start] = shift.start_line
            shifts.append(shift)
        return tuple(shifts)

    def _shift(self, node: Node) -> ShiftEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "shift", SHIFT_FIELDS)
        code_node = fields.optional("code")
        code = None if code_node is None else self.reader.code(code_node)
        if code is not None and is_code(code):
            # Shift codes are unique across all projects.
            self._claim("shifts", "shift", code, fields.line_of("code"))
        start, start_line, end = self._period(fields)
        capacity_node = fields.required("capacity")
        entry = ShiftEntry(
            code=code,
            start=start,
            end=end,
            capacity=1
            if capacity_node is None
            else self.reader.integer(capacity_node, "capacity", minimum=1, maximum=_MAX_CAPACITY),
            place=fields.maybe_translatable("place", max_length=limits.SHIFT_PLACE),
            cancelled=fields.flag("cancelled"),
            line=fields.line_of("code"),
            start_line=start_line,
        )
        return entry if len(self.reader.problems) == before else None

    def _period(self, fields: Fields) -> tuple[datetime, int, datetime]:
        """Start, the line of start, and end; an end not after the start is a problem."""
        count = len(self.reader.problems)
        start, start_line = fields.time("start")
        start_read = len(self.reader.problems) == count
        count = len(self.reader.problems)
        end, end_line = fields.time("end")
        if start_read and len(self.reader.problems) == count and end <= start:
            self.reader.problem(end_line, "end must be after start")
        return start, start_line, end

    def greenway(self, node: Node) -> GreenwayEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "greenway", GREENWAY_FIELDS)
        entry = GreenwayEntry(
            code=self._code(fields, "greenways", "greenway"),
            name=fields.translatable("name", max_length=limits.GREENWAY_NAME),
            description=fields.translatable("description", max_length=limits.GREENWAY_DESCRIPTION),
            line=fields.line,
        )
        return entry if len(self.reader.problems) == before else None

    def event(self, node: Node) -> EventEntry | None:
        before = len(self.reader.problems)
        fields = self._fields(node, "event", EVENT_FIELDS)
        code = self._code(fields, "events", "event")
        greenway_node = fields.required("greenway")
        greenway = None
        if greenway_node is not None:
            greenway = self._reference(greenway_node, "greenway", "greenways")
        start, _, end = self._period(fields)
        lat = fields.maybe_number("lat", -90, 90)
        lon = fields.maybe_number("lon", -180, 180)
        if (lat is None) != (lon is None):
            self.reader.problem(
                fields.line, "event: lat and lon go together (give both or neither)"
            )
        entry = EventEntry(
            code=code,
            greenway=greenway or CodeRef("greenways", "", fields.line),
            title=fields.translatable("title", max_length=limits.EVENT_TITLE),
            description=fields.translatable("description", max_length=limits.EVENT_DESCRIPTION),
            start=start,
            end=end,
            place=fields.maybe_translatable("place", max_length=limits.EVENT_PLACE),
            lat=lat,
            lon=lon,
            cancelled=fields.flag("cancelled"),
            line=fields.line,
        )
        return entry if len(self.reader.problems) == before and greenway else None
