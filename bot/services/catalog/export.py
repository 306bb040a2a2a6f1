"""The whole catalog as a YAML file that `quartiere-bot import` reads back unchanged.

`quartiere-bot export catalog` writes it. Items come in a fixed order (by code; shifts by
start; languages by code), times are local to the programme's zone (with their offset
only where the clock repeats an hour), so that export → import into an empty database →
export gives the same bytes. Block style and unicode as written, for a person to read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalog.times import parse_time
from storage.models import Event, Greenway, Hub, Project, Quartiere, Service, Shift
from storage.repositories import catalog as repo
from storage.repositories import closures as closures_repo
from storage.types import Translations

HEADER = "# Quartiere bot catalog, written by `quartiere-bot export catalog`.\n"


async def export_catalog(session: AsyncSession, zone: ZoneInfo) -> str:
    """The catalog in the database, as the text of a catalog file."""
    hubs = await repo.all_by_code(session, Hub)
    projects = await repo.all_by_code(session, Project)
    greenways = await repo.all_by_code(session, Greenway)
    hub_codes = {hub.id: hub.code for hub in hubs}
    greenway_codes = {greenway.id: greenway.code for greenway in greenways}
    closures = await closures_repo.closures_by_hub(session)
    tutors: dict[int, list[int]] = {}
    for project_id, telegram_id in await repo.tutor_pairs(session):
        tutors.setdefault(project_id, []).append(telegram_id)
    shifts: dict[int, list[Shift]] = {}
    for shift in await repo.all_shifts(session):
        shifts.setdefault(shift.project_id, []).append(shift)
    sections: dict[str, list[dict[str, Any]]] = {
        "quartieri": [_quartiere(row) for row in await repo.all_by_code(session, Quartiere)],
        "services": [_service(row) for row in await repo.all_by_code(session, Service)],
        "hubs": [_hub(row, closures.get(row.id, [])) for row in hubs],
        "projects": [
            _project(row, hub_codes, tutors.get(row.id, []), shifts.get(row.id, []), zone)
            for row in projects
        ],
        "greenways": [_greenway(row) for row in greenways],
        "events": [
            _event(row, greenway_codes, zone) for row in await repo.all_by_code(session, Event)
        ],
    }
    present = {name: items for name, items in sections.items() if items}
    if not present:
        return HEADER
    return HEADER + yaml.dump(
        present, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key, and a text of several lines as a
    literal block: as a person writes a catalog."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _translations(value: Translations) -> str | dict[str, str]:
    """A text in every language as the file writes it: plain text when it has no language."""
    if set(value) == {"*"}:
        return value["*"]
    return {language: value[language] for language in sorted(value)}


def _time(moment: datetime, zone: ZoneInfo) -> str:
    """Local wall time; with its offset when the wall time alone would read back otherwise."""
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%dT%H:%M") + (f":{local:%S}" if local.second else "")
    if parse_time(text, zone) == moment:
        return text
    return text + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def _optional(item: dict[str, Any], **values: Any) -> dict[str, Any]:
    """The item with the values that are set (None and False are left out, as in a file)."""
    item.update(
        (name, value) for name, value in values.items() if value is not None and value is not False
    )
    return item


def _quartiere(row: Quartiere) -> dict[str, Any]:
    item = _optional({"code": row.code, "name": row.name}, consulta=row.consulta)
    return {**item, "lat": row.lat, "lon": row.lon}


def _service(row: Service) -> dict[str, Any]:
    return {"code": row.code, "name": _translations(row.name)}


def _hub(row: Hub, closures: list[Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": row.code,
        "name": row.name,
        "address": row.address,
        "quartiere": row.quartiere,
        "lat": row.lat,
        "lon": row.lon,
    }
    _optional(item, phone=row.phone, email=row.email)
    item["opening_hours"] = row.opening_hours
    services = sorted(service.code for service in row.services)
    return _optional(
        item,
        services=services or None,
        closures=[_closure(closure) for closure in closures] or None,
    )


def _closure(row: Any) -> dict[str, Any]:
    item = {"from": row.first_day, "to": row.last_day}
    return _optional(item, note=_translations(row.note) if row.note else None)


def _project(
    row: Project, hubs: dict[int, str], tutors: list[int], shifts: list[Shift], zone: ZoneInfo
) -> dict[str, Any]:
    item = {
        "code": row.code,
        "title": _translations(row.title),
        "description": _translations(row.description),
        "theme": row.theme,
    }
    return _optional(
        item,
        hub=hubs.get(row.hub_id) if row.hub_id is not None else None,
        tutors=tutors or None,
        shifts=[_shift(shift, zone) for shift in shifts] or None,
    )


def _shift(row: Shift, zone: ZoneInfo) -> dict[str, Any]:
    item = _optional({}, code=row.code)
    item.update(start=_time(row.start_at, zone), end=_time(row.end_at, zone))
    item["capacity"] = row.capacity
    return _optional(
        item, place=_translations(row.place) if row.place else None, cancelled=row.cancelled
    )


def _greenway(row: Greenway) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": _translations(row.name),
        "description": _translations(row.description),
    }


def _event(row: Event, greenways: dict[int, str], zone: ZoneInfo) -> dict[str, Any]:
    item = {
        "code": row.code,
        "greenway": greenways[row.greenway_id],
        "title": _translations(row.title),
        "description": _translations(row.description),
        "start": _time(row.start_at, zone),
        "end": _time(row.end_at, zone),
    }
    return _optional(
        item,
        place=_translations(row.place) if row.place else None,
        lat=row.lat,
        lon=row.lon,
        cancelled=row.cancelled,
    )
