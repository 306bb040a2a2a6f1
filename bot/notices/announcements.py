"""Announcements as their recipients get them, and which ones were cancelled meanwhile."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.i18n import current_locale
from bot.outbox.rendered import Rendered
from bot.services.announcements import compose as announcements

# Announcements cancelled in this process or seen cancelled in the database: what the
# sender had already claimed of them is dropped instead of sent.
CANCELLED: set[str] = set()  # their tokens
# Long enough to cover what a sender (this or another process) may still hold of them.
CANCELLED_MEMORY = timedelta(days=1)


def render_announcement(params: dict[str, Any]) -> Rendered | None:
    """The recipient's own language version when there is one, else the default text."""
    if params.get("token") in CANCELLED:
        return None
    versions: dict[str, str] = params.get("versions") or {}
    text = versions.get(current_locale()) or str(params["text"])
    return Rendered(text, photo=params.get("photo"))


async def remember_cancelled(session: AsyncSession, now: datetime) -> None:
    """Adds the announcements cancelled lately, in any process, to CANCELLED."""
    CANCELLED.update(await announcements.cancelled_since(session, now - CANCELLED_MEMORY))
