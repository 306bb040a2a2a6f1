"""What the bot says on its own initiative, rendered in the recipient's language when sent.

Each notice is one `Notice` of the registry (bot/notices/registry.py): its message key,
kind, priority, de-duplication keys and renderer; services queue through it. Parameters are
plain JSON data. Nothing in this package imports aiogram or the handlers: the sending
process (`quartiere-bot send`) loads only this, the outbox and a small HTTP client, and
hands `RENDERERS` to the sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.notices import announcements, events, hours, replies, shifts
from bot.notices.registry import Notice
from bot.outbox.rendered import Renderer

__all__ = ["NOTICES", "RENDERERS", "Notice"]

NOTICES: tuple[Notice, ...] = (
    *shifts.NOTICES,
    *announcements.NOTICES,
    *events.NOTICES,
    *hours.NOTICES,
    *replies.NOTICES,
)
# The sender's lookup by message key, read-only: the registry is complete at import.
RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {notice.message_key: notice.render for notice in NOTICES}
)
