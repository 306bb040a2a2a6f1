"""The bot's update queue, as getUpdates and webhooks see it.

An update stays pending until the bot confirms it: with getUpdates by asking for a higher
``offset``, with a webhook by answering the delivery with a 2xx status. ``allowed_updates``
filters updates when they are created; when it was never set (or set to an empty list) every
kind is delivered except chat_member, message_reaction and message_reaction_count.
"""

from __future__ import annotations

from typing import Any

DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Pending updates in order, with Telegram's offset and filtering rules."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self.allowed: frozenset[str] | None = None
        self.created = 0

    def accepts(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of ``kind``; None when the bot's allowed_updates filter it out."""
        if not self.accepts(kind):
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self.created += 1
        self._pending.append(update)
        return update

    def set_allowed(self, kinds: list[str] | None) -> None:
        if kinds is not None:
            self.allowed = frozenset(kinds) if kinds else None

    def confirm(self, offset: int) -> None:
        """Forget updates before ``offset``; a negative offset keeps only the last ``-offset``."""
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [item for item in self._pending if item["update_id"] >= offset]

    def peek(self, limit: int) -> list[dict[str, Any]]:
        return list(self._pending[:limit])

    def acknowledge(self, update_id: int) -> None:
        self._pending = [item for item in self._pending if item["update_id"] != update_id]

    def clear(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._pending)
