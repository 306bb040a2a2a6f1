"""Patches to aiogram and pydantic that make the bot cheaper, each with what it was checked on.

`FRAMEWORK_TUNING=off` (environment or `.env`) turns every one off: aiogram runs as it ships.
It is read here, when `bot` is imported, because lazy_models must hook aiogram's import before
anything imports aiogram; bot/settings.py reads the same variable with the other settings and
stops the program on a bad value, which leaves the patches off until then.

Nothing here imports aiogram or pydantic: `import bot` imports this package first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from dotenv import dotenv_values

SWITCH: Final = "FRAMEWORK_TUNING"


@dataclass(frozen=True)
class Patch:
    """One module of this package: the versions it was checked against and why it is worth it."""

    module: str
    checked_with: tuple[tuple[str, str], ...]  # (distribution, version), as in requirements.lock
    figure: str


AIOGRAM: Final = ("aiogram", "3.31.0")
PYDANTIC: Final = ("pydantic", "2.13.5")
PYDANTIC_CORE: Final = ("pydantic-core", "2.46.5")
AIOHTTP: Final = ("aiohttp", "3.14.5")
MAGIC_FILTER: Final = ("magic-filter", "1.0.12")

PATCHES: Final = (
    Patch(
        "lazy_models",
        (AIOGRAM, PYDANTIC, PYDANTIC_CORE),
        "a fresh `import aiogram` peaks at 169 MB, `import bot, aiogram` at 60 MB",
    ),
    Patch(
        "http_session",
        (AIOGRAM, AIOHTTP, PYDANTIC),
        "under bench/updates.py the session fell from 40 % of the event loop's time to 15 %",
    ),
    Patch(
        "responses",
        (AIOGRAM, PYDANTIC),
        "each answer after a garbage collection rebuilt its model (10-25 ms), 30 % of the CPU",
    ),
    Patch(
        "inline_filters",
        (AIOGRAM, MAGIC_FILTER),
        "35 magic filters, each 280-300 µs through a thread against 8-9 µs on the loop",
    ),
    Patch(
        "inline_keyboards",
        (AIOGRAM,),
        "a keyboard of 12 buttons in 6 rows: 640-810 µs with the builder, 27-41 µs direct",
    ),
)


def read_switch() -> bool:
    """Whether FRAMEWORK_TUNING is on (or unset); a bad value reads as off."""
    # As pydantic-settings reads it: the name in any case, the environment before `.env`.
    value = next((v for k, v in os.environ.items() if k.upper() == SWITCH), None)
    if value is None:
        value = next((v for k, v in dotenv_values(".env").items() if k.upper() == SWITCH), None)
    return value in (None, "on")


# Read once per process: whether aiogram's models are deferred is decided at its import.
ON: Final = read_switch()
