"""The longest text each catalog field may hold, in characters as Telegram counts them.

Chosen so that every card and notice showing a field stays within Telegram's limits (4,096
characters a message, 1,024 a caption) with every other field at its longest, in every
language; tests/catalog/test_field_limits.py renders them all to prove it. Lists that show
several items (the hubs near you, the events' digest) shorten what they repeat instead.
"""

from __future__ import annotations

QUARTIERE_NAME = 120
CONSULTA = 16
SERVICE_NAME = 80
HUB_NAME = 120
HUB_ADDRESS = 200
HUB_PHONE = 64
HUB_EMAIL = 200
OPENING_HOURS = 500
HUB_SERVICES = 20  # how many services one hub may list
HUB_CLOSURES = 50  # how many closures one hub may list
CLOSURE_NOTE = 150
PROJECT_TITLE = 150
PROJECT_DESCRIPTION = 2000
SHIFT_PLACE = 200
GREENWAY_NAME = 150
GREENWAY_DESCRIPTION = 2000
EVENT_TITLE = 150
EVENT_DESCRIPTION = 2000
EVENT_PLACE = 200


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the basic plane counts twice."""
    return len(text.encode("utf-16-le")) // 2
