"""Bot API methods about the bot itself: identity, updates, webhook, commands, callbacks, files.

getUpdates long-polls like Telegram: it waits up to ``timeout`` seconds for an update,
``offset`` confirms earlier updates, a newer getUpdates call ends a waiting one with 409
"terminated by other getUpdates request", and while a webhook is set it fails with 409.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator.base import EmulatorState
from emulator.errors import ApiError, state_error

_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_ANSWER_FIELDS = ("text", "show_alert", "url", "cache_time")
_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024


class BotMethods(EmulatorState):
    """getMe, getUpdates, webhooks, logOut/close, getChat, getChatMember, answerCallbackQuery,
    commands, menu buttons and getFile."""

    async def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.active:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        self.poll_generation += 1
        generation = self.poll_generation
        self.notify()  # ends an older long poll, which sees a newer generation
        if "offset" in params:
            self.updates.confirm(params["offset"])
        self.updates.set_allowed(params.get("allowed_updates"))
        timeout = max(0, params.get("timeout", 0))
        await self.changes.wait_for(
            lambda: len(self.updates) > 0 or self.poll_generation != generation or self.closing,
            timeout,
        )
        if self.poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot "
                "instance is running",
            )
        return copy.deepcopy(self.updates.peek(params.get("limit", 100)))

    async def set_webhook(self, params: dict[str, Any]) -> bool:
        if not params["url"]:
            return await self.delete_webhook(params)
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.updates.set_allowed(params.get("allowed_updates"))
        await self.webhook.configure(params)
        self.notify()
        return True

    async def delete_webhook(self, params: dict[str, Any]) -> bool:
        await self.webhook.disable()
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.notify()
        return True

    async def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.webhook.info()

    async def log_out(self, params: dict[str, Any]) -> bool:
        return True

    async def get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.find_chat(params["chat_id"]).to_full_info()

    async def get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.find_chat(params["chat_id"])
        user = self.bot if params["user_id"] == self.bot.id else self.users.get(params["user_id"])
        if user is None:
            raise state_error("user not found")
        present = user.is_bot or chat.type == "private" or user.id in chat.member_ids
        return {"status": "member" if present else "left", "user": user.to_api()}

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(params["callback_query_id"])
        if query is None or query.answer is not None:
            raise state_error(_TOO_OLD)
        if (
            self.callback_timeout is not None
            and self.clock() - query.created > self.callback_timeout
        ):
            raise state_error(_TOO_OLD)
        query.answer = {key: params[key] for key in _ANSWER_FIELDS if key in params}
        self.notify()
        return True

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        key = (self._scope_key(params.get("scope")), params.get("language_code", ""))
        if params["commands"]:
            self.bot_commands[key] = copy.deepcopy(params["commands"])
        else:
            # Telegram treats an empty list like deleteMyCommands.
            self.bot_commands.pop(key, None)
        self.notify()
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = (self._scope_key(params.get("scope")), params.get("language_code", ""))
        return copy.deepcopy(self.bot_commands.get(key, []))

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        key = (self._scope_key(params.get("scope")), params.get("language_code", ""))
        self.bot_commands.pop(key, None)
        self.notify()
        return True

    async def set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button", {"type": "default"})
        if "chat_id" in params:
            chat = self.find_chat(params["chat_id"])
            if chat.type != "private":
                raise state_error("chat_id must be a private chat")
            chat.menu_button = button
        else:
            self.default_menu_button = button
        self.notify()
        return True

    async def get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        button = None
        if "chat_id" in params:
            button = self.find_chat(params["chat_id"]).menu_button
        return copy.deepcopy(button or self.default_menu_button or {"type": "default"})

    async def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(params["file_id"])
        if stored is None:
            raise state_error("invalid file_id")
        if len(stored.data) > _DOWNLOAD_MAX_BYTES:
            raise state_error("file is too big")
        return stored.to_file()

    def _scope_key(self, scope: dict[str, Any] | None) -> tuple[Any, ...]:
        """Commands are stored per scope: its type, plus the chat (and user) it names."""
        if scope is None:
            return ("default",)
        kind = scope["type"]
        if "chat_id" not in scope:
            return (kind,)
        chat = self.find_chat(scope["chat_id"])
        if kind == "chat_member":
            return (kind, chat.id, scope["user_id"])
        return (kind, chat.id)
