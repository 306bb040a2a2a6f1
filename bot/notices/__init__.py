"""What the bot says on its own initiative, rendered in the recipient's language when sent.

Each outbox message key has one renderer here; parameters are plain JSON data. Nothing in
this package imports aiogram or the handlers: the sending process (`quartiere-bot send`)
loads only this, the outbox and a small HTTP client.
"""

from __future__ import annotations

from bot.notices.announcements import render_announcement
from bot.notices.events import EVENT_RENDERERS
from bot.notices.hours import HOURS_RENDERERS
from bot.notices.shifts import SHIFT_RENDERERS
from bot.outbox.rendered import Rendered, Renderer

__all__ = ["RENDERERS", "Rendered", "Renderer"]

# cache: the renderer registry, filled at import and only read
RENDERERS: dict[str, Renderer] = {
    **SHIFT_RENDERERS,
    "announcement": render_announcement,
    **EVENT_RENDERERS,
    **HOURS_RENDERERS,
}
