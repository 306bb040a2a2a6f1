"""Catalog texts shared by the tests, and helpers to point at their lines."""

from __future__ import annotations

import textwrap
from zoneinfo import ZoneInfo

import pytest

from bot.services.catalog.model import Catalog, CatalogError
from bot.services.catalog.parsing import parse_catalog

ROME = ZoneInfo("Europe/Rome")
FILENAME = "catalog.yaml"

BASE = textwrap.dedent(
    """\
    quartieri:
      - code: ospizio
        name: Ospizio
        consulta: E
        lat: 44.6922
        lon: 10.6503
    services:
      - code: portierato
        name: {it: Portierato sociale, en: Social concierge}
      - code: wifi
        name: Wi-Fi
    hubs:
      - code: casa-ospizio
        name: Casa di quartiere Ospizio
        address: Via Example 1, 42122 Reggio Emilia
        quartiere: Ospizio
        lat: 44.7012
        lon: 10.6501
        phone: "+39 0522 000000"
        email: casa.ospizio@example.org
        opening_hours: "Mo-Fr 09:00-12:30,15:00-19:00; Sa 09:00-12:00; PH off"
        services: [portierato]
      - code: wifi-point
        name: Wi-Fi point
        address: Piazza Example, 42121 Reggio Emilia
        quartiere: Ospizio
        lat: 44.70
        lon: 10.63
        opening_hours: "24/7"
        services: [wifi, portierato]
    projects:
      - code: orti-ospizio
        title: {it: Orti condivisi Ospizio, en: Ospizio shared gardens}
        description: {it: Cura degli orti, en: Caring for the gardens}
        theme: sostenibilita
        hub: casa-ospizio
        tutors: [111111111]
        shifts:
          - code: orti-2026-12-01
            start: 2026-12-01T09:00
            end: 2026-12-01T12:00
            capacity: 4
            place: {it: Ingresso via Example, en: Entrance on via Example}
            cancelled: false
          - start: 2026-12-08T09:00
            end: 2026-12-08T12:00
            capacity: 2
    greenways:
      - code: crostolo
        name: {it: Greenway del Crostolo, en: Crostolo greenway}
        description: {it: Un parco lungo il Crostolo, en: A park along the Crostolo}
    events:
      - code: camminata-crostolo-dicembre
        greenway: crostolo
        title: {it: Camminata lungo il Crostolo, en: Walk along the Crostolo}
        description: {it: Passeggiata, en: A walk}
        start: 2026-12-06T10:00
        end: 2026-12-06T12:00
        place: Parco del Crostolo
        lat: 44.6950
        lon: 10.6330
        cancelled: false
    """
)


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    """The number of the line holding `needle` (its n-th occurrence), counted from 1."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) >= occurrence, f"{needle!r} not in the text"
    return lines[occurrence - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def parse(text: str) -> Catalog:
    return parse_catalog(text, FILENAME, timezone=ROME)


def errors_of(text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse(text)
    return caught.value.errors


def error_at(text: str, line: int) -> str:
    """The one error reported, checked to be at `line`; its message."""
    errors = errors_of(text)
    assert len(errors) == 1, errors
    prefix = f"{FILENAME}:{line}: "
    assert errors[0].startswith(prefix), errors
    return errors[0].removeprefix(prefix)
