"""``BotApiEmulator``: an in-process Telegram Bot API for tests, with a test-facing API.

The bot side is ``await emulator.handle(token, method, params, files)``, which returns the
``result`` of the call or raises ``ApiError``: 401 for a wrong token, 404 for an unknown method,
400 for a call Telegram would reject for its shape (see ``validation.py``), then the errors of
the state (chat not found, 403 bot was blocked by the user, message is not modified, ...),
injected faults and 429 flood limits. ``EmulatorServer`` (server.py) puts it behind HTTP.

Test-facing API (all synchronous unless marked async):

Users (see users.py; ``**options``: first_name, last_name, username, language_code, chat_id,
chat_type, reply_to_message_id):
    register_user(user_id, **options) -> User
    user_sends_text(user_id, text, **options) -> Message
    user_sends_location(user_id, latitude, longitude, **options) -> Message
    user_sends_contact(user_id, phone_number, *, contact_user_id=None, **options) -> Message
    user_sends_photo(user_id, data=TINY_PNG, *, caption=None, **options) -> Message
    user_sends_sticker(user_id, emoji="👍", **options) -> Message
    user_presses(user_id, message_id, callback_data, *, chat_id=None) -> callback query id
    user_presses_label(user_id, message_id, label, *, chat_id=None) -> callback query id
    user_sends_callback(user_id, data, *, message_id, chat_id=None) -> callback query id
    user_blocks_bot(user_id) / user_unblocks_bot(user_id)
Observation:
    calls, invalid_calls: list[RecordedCall]; calls_to(method) -> list[RecordedCall]
    bot_messages(chat_id, *, include_deleted=False) -> list[Message] (current versions)
    bot_message_count(chat_id) -> int (every message the bot sent there, deleted included)
    last_bot_message(chat_id) -> Message; message(chat_id, message_id) -> Message | None
    reply_keyboard(chat_id) -> ReplyKeyboardMarkup | None; chat_action(chat_id) -> str | None
    callback_answer(callback_query_id) -> dict | None; unanswered_callback_queries() -> list
    commands(scope_type="default", language_code="", *, chat_id=None, user_id=None) -> list
    visible_commands(user_id, *, chat_id=None) -> list (what that user's client would show)
    menu_button(chat_id=None) -> MenuButton; file(file_id) -> StoredFile
    pending_updates() -> list[Update]; webhook_info() -> WebhookInfo; stats() -> dict
Waiting (async, woken by every change, no polling):
    wait_until(predicate, timeout=5.0); wait_for_bot_message(chat_id, *, after=0, timeout=5.0)
    wait_for_call(method, *, after=0, timeout=5.0); wait_for_answer(callback_query_id, ...)
Control:
    fail_next(method, error_code, description, *, retry_after=None, times=1)
    constructor: global_rate / per_chat_rate (messages per second; None disables),
    per_chat_burst (messages a chat may get at once before per_chat_rate applies; 3), strict,
    check_results, privacy_mode, callback_timeout, clock (monotonic), wall_clock (Unix time)
    async aclose(): ends long polls and webhook delivery.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from emulator.base import DEFAULT_BOT_USERNAME, DEFAULT_TOKEN
from emulator.botmethods import BotMethods
from emulator.errors import ApiError, EmulatorUsageError, InvalidRequest
from emulator.files import StoredFile, UploadedFile
from emulator.messages import MessageMethods
from emulator.observe import Observation
from emulator.ratelimit import TELEGRAM_PER_CHAT_BURST, RateLimiter
from emulator.spec import BotApiSpec, MethodSpec, load_spec
from emulator.state import RecordedCall
from emulator.users import UserActions
from emulator.validation import Validator

Handler = Callable[[Any, dict[str, Any]], Awaitable[Any]]

HANDLERS: dict[str, Handler] = {
    "getMe": BotMethods.get_me,
    "getUpdates": BotMethods.get_updates,
    "setWebhook": BotMethods.set_webhook,
    "deleteWebhook": BotMethods.delete_webhook,
    "getWebhookInfo": BotMethods.get_webhook_info,
    "logOut": BotMethods.log_out,
    "close": BotMethods.log_out,
    "getChat": BotMethods.get_chat,
    "getChatMember": BotMethods.get_chat_member,
    "answerCallbackQuery": BotMethods.answer_callback_query,
    "setMyCommands": BotMethods.set_my_commands,
    "getMyCommands": BotMethods.get_my_commands,
    "deleteMyCommands": BotMethods.delete_my_commands,
    "setChatMenuButton": BotMethods.set_chat_menu_button,
    "getChatMenuButton": BotMethods.get_chat_menu_button,
    "getFile": BotMethods.get_file,
    "sendMessage": MessageMethods.send_message,
    "sendPhoto": MessageMethods.send_photo,
    "sendDocument": MessageMethods.send_document,
    "sendLocation": MessageMethods.send_location,
    "sendVenue": MessageMethods.send_venue,
    "sendContact": MessageMethods.send_contact,
    "sendChatAction": MessageMethods.send_chat_action,
    "editMessageText": MessageMethods.edit_message_text,
    "editMessageCaption": MessageMethods.edit_message_caption,
    "editMessageReplyMarkup": MessageMethods.edit_message_reply_markup,
    "deleteMessage": MessageMethods.delete_message,
    "deleteMessages": MessageMethods.delete_messages,
}

# Methods that post a message, counted by the flood limits.
_COUNTED = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


def counts_as_send(method: str) -> bool:
    return method in _COUNTED or (method.startswith("send") and method != "sendChatAction")


class BotApiEmulator(Observation, UserActions, MessageMethods, BotMethods):
    """An emulated Telegram with one bot; see the module docstring for the test-facing API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "Quartiere (test)",
        strict: bool = True,
        check_results: bool = True,
        global_rate: float | None = None,
        per_chat_rate: float | None = None,
        per_chat_burst: int = TELEGRAM_PER_CHAT_BURST,
        privacy_mode: bool = True,
        callback_timeout: float | None = 15.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        spec: BotApiSpec | None = None,
    ) -> None:
        super().__init__(
            token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            clock=clock,
            wall_clock=wall_clock,
            privacy_mode=privacy_mode,
            callback_timeout=callback_timeout,
        )
        self.spec = spec or load_spec()
        self.validator = Validator(self.spec)
        self.strict = strict
        self.check_results = check_results
        self.rate_limiter = RateLimiter(
            clock,
            global_rate=global_rate,
            per_chat_rate=per_chat_rate,
            per_chat_burst=per_chat_burst,
        )
        self.calls: list[RecordedCall] = []
        self.invalid_calls: list[RecordedCall] = []
        self.too_many_requests = 0
        self._faults: dict[str, deque[ApiError]] = {}

    async def handle(
        self,
        token: str,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile | bytes] | None = None,
    ) -> Any:
        """Execute one Bot API call; returns its result or raises ApiError."""
        uploads = {
            name: item if isinstance(item, UploadedFile) else UploadedFile(item, name)
            for name, item in (files or {}).items()
        }
        spec = self.spec.method(method)
        name = spec.name if spec is not None else method
        recorded: dict[str, Any] = dict(params)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if spec is None:
                raise InvalidRequest(404, "Not Found")
            recorded = self.validator.validate_call(spec, params, uploads)
            self._raise_injected_fault(spec.name)
            chat_key = self._check_flood(spec.name, recorded)
            result = await self._dispatch(spec, recorded)
            if chat_key is not None:
                self.rate_limiter.record(chat_key)
        except ApiError as error:
            self._record(name, recorded, error=error)
            raise
        self._record(name, recorded, result=result)
        return result

    def reject(self, method: str, error: ApiError) -> None:
        """Record a call refused before it could be read (e.g. a body that is not JSON)."""
        spec = self.spec.method(method)
        self._record(spec.name if spec is not None else method, {}, error=error)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` valid calls of ``method`` fail with this error."""
        spec = self.spec.method(method)
        if spec is None:
            raise EmulatorUsageError(f"the Bot API has no method {method!r}")
        queue = self._faults.setdefault(spec.name, deque())
        for _ in range(times):
            queue.append(ApiError(error_code, description, retry_after=retry_after))

    async def aclose(self) -> None:
        """End pending long polls and stop webhook delivery."""
        self.closing = True
        self.notify()
        await self.webhook.disable()

    def stats(self) -> dict[str, Any]:
        """Counters for benchmarks and fixtures."""
        return {
            "calls": len(self.calls),
            "calls_by_method": dict(Counter(call.method for call in self.calls)),
            "errors": sum(1 for call in self.calls if not call.ok),
            "too_many_requests": self.too_many_requests,
            "invalid_calls": len(self.invalid_calls),
            "updates_created": self.updates.created,
            "updates_pending": len(self.updates),
            "webhook_deliveries": self.webhook.delivered,
        }

    def file(self, file_id: str) -> StoredFile:
        """A file the bot sent or received, with its bytes and name."""
        stored = self.files.get(file_id)
        if stored is None:
            raise EmulatorUsageError(f"no file {file_id!r}")
        return stored

    def pending_updates(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.updates.peek(len(self.updates)))

    def webhook_info(self) -> dict[str, Any]:
        return self.webhook.info()

    async def _dispatch(self, spec: MethodSpec, params: dict[str, Any]) -> Any:
        handler = HANDLERS.get(spec.name)
        if handler is None:
            return True
        result = await handler(self, params)
        if self.check_results:
            try:
                self.validator.validate_result(result, spec.returns)
            except InvalidRequest as error:
                raise AssertionError(
                    f"emulator built an invalid {spec.name} result: {error.description}"
                ) from error
        return result

    def _raise_injected_fault(self, method: str) -> None:
        queue = self._faults.get(method)
        if queue:
            fault = queue.popleft()
            if fault.error_code == 429:
                self.too_many_requests += 1
            raise ApiError(fault.error_code, fault.description, retry_after=fault.retry_after)

    def _check_flood(self, method: str, params: dict[str, Any]) -> Any:
        if not counts_as_send(method) or "chat_id" not in params:
            return None
        chat_key = params["chat_id"]
        retry_after = self.rate_limiter.retry_after(chat_key)
        if retry_after is not None:
            self.too_many_requests += 1
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        return chat_key

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        *,
        result: Any = None,
        error: ApiError | None = None,
    ) -> None:
        call = RecordedCall(
            method=method,
            params=params,
            ok=error is None,
            time=self.clock(),
            error_code=error.error_code if error else None,
            description=error.description if error else None,
            result=copy.deepcopy(result),
        )
        self.calls.append(call)
        if isinstance(error, InvalidRequest) and self.strict:
            self.invalid_calls.append(call)
        self.notify()

    async def _webhook_reply(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> None:
        # The outcome is recorded in ``calls``; Telegram gives the bot no feedback either.
        with contextlib.suppress(ApiError):
            await self.handle(self.token, method, params, files)
