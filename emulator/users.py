"""Simulated Telegram users: what they send to the bot, the buttons they press, blocking.

Every action creates the user (and their private chat) on first use and queues the update the
bot would receive. Profile options (``first_name`` "Test", ``language_code`` "it" for a new
user; ``last_name``, ``username``) update the stored user when given and are kept otherwise;
``language_code=""`` means the user has none. ``chat_id`` and ``chat_type`` ("group" or
"supergroup") make the user write in a group instead of their private chat; in groups the bot's
privacy mode lets through only commands, replies to the bot and mentions of it.
"""

from __future__ import annotations

import copy
from typing import Any, TypedDict, Unpack

from emulator.base import EmulatorState
from emulator.errors import EmulatorUsageError
from emulator.files import image_size
from emulator.formatting import command_entities
from emulator.messages import photo_size
from emulator.state import CallbackQueryRecord, ChatRecord, StoredMessage, UserRecord

# A 1x1 PNG, the default picture a simulated user sends.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class SenderOptions(TypedDict, total=False):
    """Who sends, and where (see the module docstring)."""

    first_name: str
    last_name: str
    username: str
    language_code: str
    chat_id: int
    chat_type: str
    reply_to_message_id: int


class UserActions(EmulatorState):
    """The test-facing side: users writing to the bot."""

    def register_user(self, user_id: int, **options: Unpack[SenderOptions]) -> dict[str, Any]:
        """Make a user known (as after they started the bot) without sending anything."""
        user = self._user(user_id, options)
        self.private_chat(user)
        return user.to_api()

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        entities: list[dict[str, Any]] | None = None,
        **options: Unpack[SenderOptions],
    ) -> dict[str, Any]:
        """The user writes ``text``; commands get a bot_command entity, and ``entities`` is
        the formatting the user's client applied (bold, links...). Returns the Message."""
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text) + (entities or [])
        if entities:
            content["entities"] = entities
        return self._user_message(user_id, content, options)

    def user_edits_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The user edits one of their own text messages; the bot gets an edited_message."""
        chat = self._chat_of(user_id, chat_id)
        stored = chat.live_message(message_id)
        if stored is None or stored.from_bot or "text" not in stored.message:
            raise EmulatorUsageError(f"no text message {message_id} of user {user_id}")
        edited = {**copy.deepcopy(stored.message), "text": text, "edit_date": self.now()}
        edited.pop("entities", None)
        if entities := command_entities(text):
            edited["entities"] = entities
        stored.message = edited
        if chat.type == "private" or not self.privacy_mode:
            self.push_update("edited_message", copy.deepcopy(edited))
        return copy.deepcopy(edited)

    def user_sends_location(
        self, user_id: int, latitude: float, longitude: float, **options: Unpack[SenderOptions]
    ) -> dict[str, Any]:
        location = {"latitude": latitude, "longitude": longitude}
        return self._user_message(user_id, {"location": location}, options)

    def user_sends_contact(
        self,
        user_id: int,
        phone_number: str,
        *,
        contact_user_id: int | None = None,
        **options: Unpack[SenderOptions],
    ) -> dict[str, Any]:
        """The user shares a contact, by default their own (as the request_contact button does)."""
        sender = self._user(user_id, options)
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": sender.first_name,
            "user_id": contact_user_id if contact_user_id is not None else user_id,
        }
        if sender.last_name and contact_user_id is None:
            contact["last_name"] = sender.last_name
        return self._user_message(user_id, {"contact": contact}, options)

    def user_sends_photo(
        self,
        user_id: int,
        data: bytes = TINY_PNG,
        *,
        caption: str | None = None,
        **options: Unpack[SenderOptions],
    ) -> dict[str, Any]:
        stored = self.files.add("photo", data, mime_type="image/jpeg")
        width, height = image_size(data) or (1280, 960)
        content: dict[str, Any] = {"photo": [photo_size(stored, width, height)]}
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content, options)

    def user_sends_sticker(
        self, user_id: int, emoji: str = "👍", **options: Unpack[SenderOptions]
    ) -> dict[str, Any]:
        stored = self.files.add("sticker", b"RIFF\x00\x00\x00\x00WEBP", mime_type="image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, {"sticker": sticker}, options)

    def user_presses(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """Press the inline button carrying ``callback_data``; returns the callback query id."""
        chat, stored = self._bot_message(user_id, message_id, chat_id)
        if callback_data not in _button_data(stored.message):
            raise EmulatorUsageError(
                f"message {message_id} in chat {chat.id} has no button with callback_data "
                f"{callback_data!r}; it has {_button_data(stored.message)}"
            )
        return self._callback(user_id, chat, stored, callback_data)

    def user_presses_label(
        self, user_id: int, message_id: int, label: str, *, chat_id: int | None = None
    ) -> str:
        """Press the inline callback button whose text is ``label``."""
        chat, stored = self._bot_message(user_id, message_id, chat_id)
        labels = _button_labels(stored.message)
        if label not in labels:
            raise EmulatorUsageError(
                f"message {message_id} in chat {chat.id} has no callback button {label!r}; "
                f"it has {sorted(labels)}"
            )
        return self._callback(user_id, chat, stored, labels[label])

    def user_sends_callback(
        self, user_id: int, data: str, *, message_id: int, chat_id: int | None = None
    ) -> str:
        """A callback query with arbitrary ``data`` on a message, as a forged client could send."""
        chat = self._chat_of(user_id, chat_id)
        stored = chat.live_message(message_id)
        if stored is None:
            raise EmulatorUsageError(f"no message {message_id} in chat {chat.id}")
        return self._callback(user_id, chat, stored, data)

    def user_blocks_bot(self, user_id: int) -> None:
        """From now on sends to this user fail with 403; the bot gets a my_chat_member update."""
        self._set_blocked(user_id, True)

    def user_unblocks_bot(self, user_id: int) -> None:
        self._set_blocked(user_id, False)

    def _user(self, user_id: int, options: SenderOptions) -> UserRecord:
        user = self.users.get(user_id)
        if user is None:
            user = self.users[user_id] = UserRecord(
                id=user_id, first_name="Test", language_code="it"
            )
        if "first_name" in options:
            user.first_name = options["first_name"]
        if "last_name" in options:
            user.last_name = options["last_name"] or None
        if "username" in options:
            user.username = options["username"] or None
        if "language_code" in options:
            user.language_code = options["language_code"] or None
        return user

    def _chat_of(self, user_id: int, chat_id: int | None, chat_type: str = "private") -> ChatRecord:
        user = self.users.get(user_id)
        if user is None:
            raise EmulatorUsageError(f"user {user_id} has never written to the bot")
        if chat_id is None or chat_id == user_id:
            return self.private_chat(user)
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_type not in ("group", "supergroup"):
                raise EmulatorUsageError("a chat_id other than the user's needs chat_type group")
            chat = self.chats[chat_id] = ChatRecord(id=chat_id, type=chat_type)
        return chat

    def _user_message(
        self, user_id: int, content: dict[str, Any], options: SenderOptions
    ) -> dict[str, Any]:
        user = self._user(user_id, options)
        chat = self._chat_of(user_id, options.get("chat_id"), options.get("chat_type", "private"))
        if chat.type == "private" and user.blocked_bot:
            raise EmulatorUsageError(f"user {user_id} blocked the bot: unblock first")
        reply_to = options.get("reply_to_message_id")
        replied = chat.live_message(reply_to) if reply_to is not None else None
        if replied is not None:
            content = {**content, "reply_to_message": copy.deepcopy(replied.message)}
            content["reply_to_message"].pop("reply_to_message", None)
        chat.member_ids.add(user.id)
        stored = self.add_message(chat, user, content)
        if self._bot_sees(chat, stored, replied):
            self.push_update("message", copy.deepcopy(stored.message))
        return copy.deepcopy(stored.message)

    def _bot_sees(
        self, chat: ChatRecord, stored: StoredMessage, replied: StoredMessage | None
    ) -> bool:
        if chat.type == "private" or not self.privacy_mode:
            return True
        text = stored.message.get("text", "")
        mention = f"@{self.bot.username}".lower()
        return text.startswith("/") or mention in text.lower() or bool(replied and replied.from_bot)

    def _bot_message(
        self, user_id: int, message_id: int, chat_id: int | None
    ) -> tuple[ChatRecord, StoredMessage]:
        chat = self._chat_of(user_id, chat_id)
        stored = chat.live_message(message_id)
        if stored is None or not stored.from_bot:
            raise EmulatorUsageError(f"no bot message {message_id} in chat {chat.id}")
        return chat, stored

    def _callback(self, user_id: int, chat: ChatRecord, stored: StoredMessage, data: str) -> str:
        self.callback_counter += 1
        query_id = f"{self.bot.id}{self.callback_counter:08d}"
        self.callback_queries[query_id] = CallbackQueryRecord(
            id=query_id,
            user_id=user_id,
            chat_id=chat.id,
            message_id=stored.message_id,
            data=data,
            created=self.clock(),
        )
        query = {
            "id": query_id,
            "from": self.users[user_id].to_api(),
            "message": copy.deepcopy(stored.message),
            "chat_instance": str(abs(hash((self.bot.id, chat.id)))),
            "data": data,
        }
        self.push_update("callback_query", query)
        return query_id

    def _set_blocked(self, user_id: int, blocked: bool) -> None:
        user = self.users.get(user_id)
        if user is None:
            raise EmulatorUsageError(f"user {user_id} has never written to the bot")
        if user.blocked_bot == blocked:
            return
        user.blocked_bot = blocked
        member = {"status": "member", "user": self.bot.to_api()}
        kicked = {"status": "kicked", "user": self.bot.to_api(), "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        update = {
            "chat": self.private_chat(user).to_api(),
            "from": user.to_api(),
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        self.push_update("my_chat_member", update)


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _button_data(message: dict[str, Any]) -> list[str]:
    return [button["callback_data"] for button in _buttons(message) if "callback_data" in button]


def _button_labels(message: dict[str, Any]) -> dict[str, str]:
    return {
        button["text"]: button["callback_data"]
        for button in _buttons(message)
        if "callback_data" in button
    }
