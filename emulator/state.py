"""What the emulated Telegram remembers: users, chats, messages, callback queries, calls.

Records render themselves as Bot API objects (``to_api``), so every object the bot receives is
built in one place. Message ids follow one sequence per chat, shared by the bot and the users,
as in Telegram private chats.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from emulator.files import UploadedFile


@dataclass
class UserRecord:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    blocked_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class StoredMessage:
    """A message in a chat, in its current version, and how it got there."""

    message: dict[str, Any]
    from_bot: bool
    deleted: bool = False

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])


@dataclass
class ChatRecord:
    """A chat the bot can talk in: a user's private chat, or a group the bot is in."""

    id: int
    type: str
    user: UserRecord | None = None
    title: str | None = None
    username: str | None = None
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None
    menu_button: dict[str, Any] | None = None
    last_action: str | None = None
    member_ids: set[int] = field(default_factory=set)
    revision: int = 0
    _next_message_id: int = 1

    def next_message_id(self) -> int:
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def to_api(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            chat["first_name"] = self.user.first_name
            if self.user.last_name:
                chat["last_name"] = self.user.last_name
            if self.user.username:
                chat["username"] = self.user.username
        else:
            chat["title"] = self.title or f"Chat {self.id}"
            if self.username:
                chat["username"] = self.username
        return chat

    def to_full_info(self) -> dict[str, Any]:
        """The ChatFullInfo returned by getChat."""
        return {
            **self.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def live_message(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        return None if stored is None or stored.deleted else stored

    def bot_messages(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        found = [self.messages[message_id] for message_id in self.bot_message_ids]
        return [
            copy.deepcopy(item.message) for item in found if include_deleted or not item.deleted
        ]


@dataclass
class CallbackQueryRecord:
    """A callback query sent to the bot, and the answer it got (None while unanswered)."""

    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str
    created: float
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call made by the bot, as the emulator understood it."""

    method: str
    params: dict[str, Any]
    ok: bool
    time: float
    error_code: int | None = None
    description: str | None = None
    result: Any = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly view (uploaded files are replaced by their name and size)."""
        return {
            "method": self.method,
            "params": _jsonable(self.params),
            "ok": self.ok,
            "time": self.time,
            "error_code": self.error_code,
            "description": self.description,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return {"filename": value.filename, "size": len(value.data)}
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value
