"""What tests read back from the emulator, and how they wait for it.

Waiting never polls: every call, update and state change fires the emulator's ChangeSignal,
and waiters re-check their condition then. A wait that times out raises ``TimeoutError`` with
the last calls the bot made, which is usually what explains the failure.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from emulator.base import EmulatorState
from emulator.errors import EmulatorUsageError
from emulator.state import ChatRecord, RecordedCall


class Observation(EmulatorState):
    """Read-only views of the state, and async waits on it."""

    calls: list[RecordedCall]

    def calls_to(self, method: str) -> list[RecordedCall]:
        """The recorded calls of ``method`` (any letter case), in order."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def bot_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first, as they are now (after edits)."""
        chat = self.chats.get(chat_id)
        return chat.bot_messages(include_deleted) if chat is not None else []

    def bot_message_count(self, chat_id: int) -> int:
        """How many messages the bot has sent to the chat, deleted ones included."""
        chat = self.chats.get(chat_id)
        return len(chat.bot_message_ids) if chat is not None else 0

    def last_bot_message(self, chat_id: int) -> dict[str, Any]:
        messages = self.bot_messages(chat_id)
        if not messages:
            raise EmulatorUsageError(f"the bot has no message in chat {chat_id}")
        return messages[-1]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Any live message of a chat (the bot's or a user's)."""
        chat = self.chats.get(chat_id)
        stored = chat.live_message(message_id) if chat is not None else None
        return copy.deepcopy(stored.message) if stored is not None else None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the chat shows, until the bot sends ReplyKeyboardRemove."""
        return copy.deepcopy(self._chat(chat_id).reply_keyboard)

    def chat_action(self, chat_id: int) -> str | None:
        """The last action sent with sendChatAction to the chat."""
        return self._chat(chat_id).last_action

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        button = self._chat(chat_id).menu_button if chat_id is not None else None
        return copy.deepcopy(button or self.default_menu_button or {"type": "default"})

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        """How the bot answered a callback query (text, show_alert...), None if not yet."""
        query = self.callback_queries.get(callback_query_id)
        if query is None:
            raise EmulatorUsageError(f"no callback query {callback_query_id!r}")
        return copy.deepcopy(query.answer)

    def unanswered_callback_queries(self) -> list[str]:
        return [item.id for item in self.callback_queries.values() if item.answer is None]

    def commands(
        self,
        scope_type: str = "default",
        language_code: str = "",
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """The commands set for exactly this scope and language (like getMyCommands)."""
        scope = (scope_type, *(item for item in (chat_id, user_id) if item is not None))
        return copy.deepcopy(self.bot_commands.get((scope, language_code), []))

    def visible_commands(self, user_id: int, *, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The command list the user's client shows in a chat (Telegram's resolution order)."""
        user = self.users.get(user_id)
        language = (user.language_code or "")[:2] if user is not None else ""
        chat = self._chat(chat_id if chat_id is not None else user_id)
        if chat.type == "private":
            scopes: list[tuple[Any, ...]] = [("chat", chat.id), ("all_private_chats",)]
        else:
            scopes = [("chat_member", chat.id, user_id), ("chat", chat.id), ("all_group_chats",)]
        scopes.append(("default",))
        for scope in scopes:
            for code in (language, ""):
                found = self.bot_commands.get((scope, code))
                if found:
                    return copy.deepcopy(found)
        return []

    # The waits take a timeout because it is part of what a test states ("within 5 s").
    async def wait_until(
        self,
        predicate: Callable[[], object],
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` is truthy; TimeoutError after ``timeout`` seconds."""
        if not await self.changes.wait_for(lambda: bool(predicate()), timeout):
            raise TimeoutError(f"{what} not met within {timeout}s; {self._recent_calls()}")

    async def wait_for_bot_message(
        self,
        chat_id: int,
        *,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The bot's message number ``after + 1`` in the chat (``after`` = messages already seen,
        as counted by bot_message_count), once it exists; its current version."""
        await self.wait_until(
            lambda: self.bot_message_count(chat_id) > after,
            timeout,
            what=f"bot message #{after + 1} in chat {chat_id}",
        )
        return self.bot_messages(chat_id, include_deleted=True)[after]

    async def wait_for_call(
        self,
        method: str,
        *,
        after: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedCall:
        """The call of ``method`` number ``after + 1``, once the bot has made it."""
        await self.wait_until(
            lambda: len(self.calls_to(method)) > after,
            timeout,
            what=f"call #{after + 1} of {method}",
        )
        return self.calls_to(method)[after]

    async def wait_for_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The bot's answer to a callback query, once given."""
        await self.wait_until(
            lambda: self.callback_answer(callback_query_id) is not None,
            timeout,
            what=f"answer to callback query {callback_query_id}",
        )
        return self.callback_answer(callback_query_id) or {}

    def _chat(self, chat_id: int) -> ChatRecord:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise EmulatorUsageError(f"no chat {chat_id}")
        return chat

    def _recent_calls(self) -> str:
        recent = [
            f"{call.method}({'ok' if call.ok else f'{call.error_code} {call.description}'})"
            for call in self.calls[-8:]
            if call.method != "getUpdates"
        ]
        return "recent calls: " + (", ".join(recent) if recent else "none")
