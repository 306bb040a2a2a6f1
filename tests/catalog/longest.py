"""A catalog with every text at the longest the import accepts, in Italian and English.

Texts hold `&`, `<` and `>`, so that HTML escaping is part of what is measured, and each
list is as long as a card or notice may show (a hub's services, a project's shifts, a
week's events past the digest's fifteen).
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.services.catalog import limits

FILENAME = "longest.yaml"
HUBS = 6  # one more than a page of nearest hubs
SHIFTS = 6  # one more than a project card shows
EVENTS = 16  # one more than the digest lists
TUTORS = tuple(range(7001, 7031))  # far more than a project card names


def filler(length: int, seed: str) -> str:
    """Exactly `length` characters, starting with `seed`, with characters HTML escapes."""
    text = f"{seed} <&> " + "x" * length
    return text[:length]


def both(length: int, seed: str) -> dict[str, str]:
    return {"it": filler(length, f"{seed} it"), "en": filler(length, f"{seed} en")}


def opening_hours() -> str:
    """The most opening spans a day the longest opening_hours text can give."""
    spans: list[str] = []
    minute = 0
    while len("Mo-Su " + ",".join([*spans, "00:00-00:10"])) <= limits.OPENING_HOURS:
        start, end = minute, minute + 10
        spans.append(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
        minute += 30
    return "Mo-Su " + ",".join(spans)


def catalog() -> dict[str, Any]:
    quartiere = filler(limits.QUARTIERE_NAME, "Quartiere")
    services = [
        {"code": f"s{number:02d}", "name": both(limits.SERVICE_NAME, f"Service {number}")}
        for number in range(limits.HUB_SERVICES)
    ]
    email_domain = "@example.org"
    hubs = [
        {
            "code": f"hub-{number}",
            "name": filler(limits.HUB_NAME, f"Casa {number}"),
            "address": filler(limits.HUB_ADDRESS, f"Via {number}"),
            "quartiere": quartiere,
            "lat": 44.69 + number / 1000,
            "lon": 10.65,
            "phone": "+39 " + "0" * (limits.HUB_PHONE - 4),
            "email": "a" * (limits.HUB_EMAIL - len(email_domain)) + email_domain,
            "opening_hours": opening_hours(),
            "services": [service["code"] for service in services],
            # Closed on the tests' today, so that the cards say until when and why.
            "closures": [
                {
                    "from": "2026-12-01",
                    "to": "2026-12-02",
                    "note": both(limits.CLOSURE_NOTE, f"Closed {number}"),
                }
            ],
        }
        for number in range(HUBS)
    ]
    shifts = [
        {
            "code": f"orti-{day}",
            "start": f"2026-12-{day:02d}T09:00",
            "end": f"2026-12-{day:02d}T12:00",
            "capacity": 1,
            "place": both(limits.SHIFT_PLACE, f"Place {day}"),
        }
        for day in range(3, 3 + SHIFTS)
    ]
    project = {
        "code": "orti",
        "title": both(limits.PROJECT_TITLE, "Project"),
        "description": both(limits.PROJECT_DESCRIPTION, "Description"),
        "theme": "t" * 64,
        "hub": "hub-0",
        "tutors": list(TUTORS),
        "shifts": shifts,
    }
    greenway = {
        "code": "crostolo",
        "name": both(limits.GREENWAY_NAME, "Greenway"),
        "description": both(limits.GREENWAY_DESCRIPTION, "Greenway description"),
    }
    events = [
        {
            "code": f"event-{number}",
            "greenway": "crostolo",
            "title": both(limits.EVENT_TITLE, f"Event {number}"),
            "description": both(limits.EVENT_DESCRIPTION, f"About {number}"),
            "start": f"2026-12-{3 + number % 4:02d}T{8 + number // 4:02d}:00",
            "end": f"2026-12-{3 + number % 4:02d}T{8 + number // 4:02d}:45",
            "place": both(limits.EVENT_PLACE, f"Where {number}"),
            "lat": 44.69,
            "lon": 10.63,
        }
        for number in range(EVENTS)
    ]
    return {
        "quartieri": [{"code": "q", "name": quartiere, "lat": 44.69, "lon": 10.65}],
        "services": services,
        "hubs": hubs,
        "projects": [project],
        "greenways": [greenway],
        "events": events,
    }


def catalog_text() -> str:
    return yaml.safe_dump(catalog(), allow_unicode=True, sort_keys=False, width=100000)
