"""An event form from the staff Mini App, checked by the catalog import's own rules.

The form's values are written as one catalog event, one field (or one language) a line, and
read by the import's `SectionReader.event`: the same limits, the same messages, no second
validator. Each problem's line then names the form field it belongs to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.catalog.model import EventEntry
from bot.services.catalog.sections import SectionReader
from bot.services.catalog.values import new_loader

LANGUAGES = ("it", "en")
TEXT_FIELDS = ("title", "description", "place")
FIELDS = (
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES),
    "start",
    "end",
    "lat",
    "lon",
)
# The local time a datetime-local input reads and shows.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class EventFormRefused(Exception):
    """Messages per form field; nothing was saved."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = dict(fields)


@dataclass(frozen=True)
class EventForm:
    """What the form sends: texts per language, local times, a map pin as typed."""

    values: Mapping[str, str]

    @classmethod
    def of(cls, body: Mapping[str, object]) -> EventForm:
        return cls({name: _text(body.get(name)) for name in FIELDS})


def _text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _number_or_text(value: str) -> str:
    """A typed coordinate as YAML: a number as typed (`44,7` too), anything else as text."""
    number = value.replace(",", ".")
    try:
        float(number)
    except ValueError:
        return json.dumps(value)
    return number if re.fullmatch(r"[-+]?[0-9.]+", number) else json.dumps(value)


def _line(name: str, value: str) -> str:
    return name + ": " + value if value else name + ":"


def _lines(form: EventForm, code: str, greenway: str) -> tuple[list[str], dict[int, str]]:
    """The catalog event's YAML lines and, per line number, the form field it holds."""
    values = form.values
    # Line 1 is where the import reports "lat and lon go together": shown under lat.
    lines = [_line("code", json.dumps(code)), _line("greenway", json.dumps(greenway))]
    fields = {1: "lat"}
    for name in TEXT_FIELDS:
        given = [lang for lang in LANGUAGES if values[f"{name}_{lang}"]]
        if name == "place" and not given:
            continue  # the place is optional
        lines.append(_line(name, ""))
        for lang in given or LANGUAGES[:1]:
            lines.append("  " + _line(lang, json.dumps(values[f"{name}_{lang}"])))
            fields[len(lines)] = f"{name}_{lang}"
    for name in ("start", "end"):
        lines.append(_line(name, json.dumps(values[name])))
        fields[len(lines)] = name
    for name in ("lat", "lon"):
        if values[name]:
            lines.append(_line(name, _number_or_text(values[name])))
            fields[len(lines)] = name
    return lines, fields


def checked_event(form: EventForm, code: str, greenway: str, zone: ZoneInfo) -> EventEntry:
    """The event as the import would read it, or EventFormRefused with its messages."""
    lines, fields = _lines(form, code, greenway)
    loader = new_loader("\n".join(lines) + "\n")
    try:
        reader = SectionReader(loader, zone)
        node = loader.get_single_node()
        assert node is not None  # the lines above always compose a mapping
        entry = reader.event(node)
        problems = reader.reader.problems
    finally:
        loader.dispose()
    if problems:
        refused: dict[str, str] = {}
        for problem in problems:
            refused.setdefault(fields.get(problem.line, "lat"), problem.message)
        raise EventFormRefused(refused)
    assert entry is not None
    return entry


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """A stored time as the form's datetime-local input shows it."""
    return moment.astimezone(zone).strftime(LOCAL_FORMAT)
