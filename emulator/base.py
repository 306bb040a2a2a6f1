"""The state shared by the parts of the emulator, and the helpers they all use.

``BotApiEmulator`` is assembled from mixins (Bot API methods for messages, the other Bot API
methods, simulated users); each of them works on the attributes declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.changes import ChangeSignal
from emulator.errors import ApiError, state_error
from emulator.files import FileStore, UploadedFile
from emulator.state import CallbackQueryRecord, ChatRecord, StoredMessage, UserRecord
from emulator.updates import UpdateQueue
from emulator.webhook import WebhookDelivery

# The local emulator's own token, good for nothing else (bandit B105).
DEFAULT_TOKEN = "123456789:emulator-test-token"  # nosec B105
DEFAULT_BOT_USERNAME = "quartiere_test_bot"

CommandsKey = tuple[tuple[Any, ...], str]


class EmulatorState:
    """Users, chats, messages, files, commands, updates and the bot itself."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_first_name: str,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        privacy_mode: bool,
        callback_timeout: float | None,
    ) -> None:
        self.token = token
        bot_id, _, _ = token.partition(":")
        self.bot = UserRecord(
            id=int(bot_id) if bot_id.isdigit() else 123456789,
            first_name=bot_first_name,
            username=bot_username,
            is_bot=True,
        )
        self.clock = clock
        self.wall_clock = wall_clock
        self.privacy_mode = privacy_mode
        self.callback_timeout = callback_timeout
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files = FileStore()
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.bot_commands: dict[CommandsKey, list[dict[str, Any]]] = {}
        self.default_menu_button: dict[str, Any] | None = None
        self.changes = ChangeSignal()
        self.updates = UpdateQueue()
        self.webhook = WebhookDelivery(self.updates, self.changes, self._webhook_reply, wall_clock)
        self.closing = False
        self.poll_generation = 0
        self.callback_counter = 0

    async def _webhook_reply(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> None:
        """Executes a method a webhook answered with; BotApiEmulator (core.py) provides it."""
        raise TypeError("the emulator's state alone cannot execute webhook replies")

    def now(self) -> int:
        """Unix time for the ``date`` fields."""
        return int(self.wall_clock())

    def notify(self) -> None:
        self.changes.notify()

    def find_chat(self, chat_id: int | str) -> ChatRecord:
        """The chat for a ``chat_id`` parameter (id or @username); 400 when unknown."""
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
        else:
            wanted = chat_id.removeprefix("@").lower() if chat_id.startswith("@") else None
            chat = next(
                (
                    item
                    for item in self.chats.values()
                    if wanted and item.type != "private" and (item.username or "").lower() == wanted
                ),
                None,
            )
        if chat is None:
            raise state_error("chat not found")
        return chat

    def writable_chat(self, chat_id: int | str) -> ChatRecord:
        """The chat for a send or an edit; 403 when the user blocked the bot."""
        chat = self.find_chat(chat_id)
        if chat.user is not None and chat.user.blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def private_chat(self, user: UserRecord) -> ChatRecord:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.chats[user.id] = ChatRecord(id=user.id, type="private", user=user)
        return chat

    def add_message(
        self, chat: ChatRecord, sender: UserRecord, content: dict[str, Any]
    ) -> StoredMessage:
        """Store a new message in ``chat`` and return it."""
        message = {
            "message_id": chat.next_message_id(),
            "from": sender.to_api(),
            "date": self.now(),
            "chat": chat.to_api(),
            **content,
        }
        stored = StoredMessage(message=message, from_bot=sender.is_bot)
        chat.messages[stored.message_id] = stored
        if sender.is_bot:
            chat.bot_message_ids.append(stored.message_id)
        self.touch(chat)
        return stored

    def touch(self, chat: ChatRecord) -> None:
        chat.revision += 1
        self.notify()

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        update = self.updates.push(kind, payload)
        self.notify()
        return update
