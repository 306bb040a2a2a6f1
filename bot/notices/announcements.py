"""Announcements as their recipients get them."""

from __future__ import annotations

from typing import Any

from bot.i18n import current_locale
from bot.outbox.rendered import Rendered


def render_announcement(params: dict[str, Any]) -> Rendered:
    """The recipient's own language version when there is one, else the default text."""
    versions: dict[str, str] = params.get("versions") or {}
    text = versions.get(current_locale()) or str(params["text"])
    return Rendered(text, photo=params.get("photo"))
