"""Announcements as their recipients get them."""

from __future__ import annotations

from typing import Any

from bot.i18n import current_locale
from bot.notices.registry import Notice
from bot.outbox.queue import BULK
from bot.outbox.rendered import Rendered


def render_announcement(params: dict[str, Any]) -> Rendered:
    """The recipient's own language version when there is one, else the default text."""
    versions: dict[str, str] = params.get("versions") or {}
    text = versions.get(current_locale()) or str(params["text"])
    return Rendered(text, photo=params.get("photo"))


def _family(announcement_id: int) -> tuple[str, ...]:
    """The deliveries of one announcement, one per recipient (queued in one INSERT)."""
    return (f"announcement:{announcement_id}:",)


def _key(announcement_id: int, telegram_id: int) -> str:
    [family] = _family(announcement_id)
    return f"{family}{telegram_id}"


ANNOUNCEMENT = Notice("announcement", "announcement", BULK, render_announcement, _key, _family)
# An urgent announcement still leaves after every other notice, but before the others.
URGENT_PRIORITY = BULK - 1
NOTICES = (ANNOUNCEMENT,)
