"""The bundled sample catalog of Reggio Emilia, its dates moved into the coming weeks.

`quartiere-bot sample-data` (and `make run` on an empty catalog) import it with
`import_sample_catalog`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.catalog.importing import ImportSummary, import_catalog_text

SAMPLE_FILENAME = "sample_catalog.yaml"
# The date part of every `start:` and `end:` time, and every closure's `from:` and `to:`.
_TIME_DATE = re.compile(
    r"^(?P<head>[ \t-]*(?:start|end|from|to):[ \t]*[\"']?)(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?=[Tt \"'\n])",
    re.MULTILINE,
)


def bundled_sample_text() -> str:
    """The sample catalog as bundled, dated around its anchor week."""
    return (files("bot") / "data" / SAMPLE_FILENAME).read_text(encoding="utf-8")


def sample_catalog_text(today: date) -> str:
    """The sample catalog with every shift, event and closure moved by the same whole number
    of weeks.

    The earliest one lands in the 7 days after `today`; weekdays and local times stay.
    """
    text = bundled_sample_text()
    first = min(date.fromisoformat(match["date"]) for match in _TIME_DATE.finditer(text))
    moved_by = timedelta(weeks=(today - first).days // 7 + 1)

    def move(match: re.Match[str]) -> str:
        return match["head"] + (date.fromisoformat(match["date"]) + moved_by).isoformat()

    return _TIME_DATE.sub(move, text)


async def import_sample_catalog(
    session_factory: async_sessionmaker[AsyncSession], *, timezone: ZoneInfo, now: datetime
) -> ImportSummary:
    """Imports the sample catalog with its shifts and events in the weeks after today."""
    today = now.astimezone(timezone).date()
    return await import_catalog_text(
        session_factory, sample_catalog_text(today), SAMPLE_FILENAME, timezone=timezone, now=now
    )
