"""What a renderer gives the sender: the text, its buttons as Bot API data, maybe a photo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendered:
    text: str
    # {"inline_keyboard": [[{"text": ..., "callback_data": ...}]]}, as Telegram takes it
    reply_markup: dict[str, Any] | None = None
    photo: str | None = None  # a Telegram file_id: sent as a photo with `text` as caption
    # A message of the chat to edit (text and buttons) instead of sending a new one.
    edit_message_id: int | None = None


Renderer = Callable[[dict[str, Any]], Rendered]
