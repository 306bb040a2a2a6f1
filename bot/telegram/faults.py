"""Telegram's refusals while answering: flood control waited out, 5xx and timeouts retried.

Only calls made while an update is being handled are handled here (`AnsweringMiddleware`
marks them): the outbox sender has a retry policy of its own (with backoff across ticks and
its rate limits), and long polling backs off by itself.

All the calls of one update share one budget (`budget`, 30 s): a 429 is waited out and the
call made again while its `retry_after` fits in what is left; a 5xx or a timeout is tried
again (at most `attempts` tries of one call) while its backoff fits. A reply that cannot go
within the budget is handed to the outbox (bot/telegram/held_replies.py) and the update
completes; from then on this process queues that chat's replies there too, until the outbox
has sent them, so they never overtake each other. A callback answer that cannot go within
`callback_budget` (10 s) is dropped: it only stops a spinner. Calls to one chat are made one
at a time. Any other 4xx is the caller's mistake or the user's doing and is never retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject

from bot.settings import REPLY_BUDGET

log = logging.getLogger(__name__)

# Methods that put a message in a chat: the ones Telegram's per-chat flood limit counts.
_POSTING = ("send", "copy", "forward")


class Holder(Protocol):
    """Where replies that cannot go now are kept (the outbox; see held_replies.py)."""

    def holds(self, chat_id: int) -> bool: ...

    async def still_holds(self, chat_id: int) -> bool: ...

    async def hold(self, bot: Bot, method: TelegramMethod[Any], chat_id: int) -> Any: ...

    async def answered(self, chat_ids: set[int]) -> None: ...


@dataclass
class Answering:
    """One update's Bot API calls: the budget they share and the chats they answered in."""

    holder: Holder | None = None
    started: float | None = None  # the first call's time, on the faults' clock
    chats: set[int] = field(default_factory=set)


_ANSWERING: ContextVar[Answering | None] = ContextVar("answering", default=None)


@contextmanager
def answering(holder: Holder | None = None) -> Iterator[Answering]:
    """Marks the Bot API calls made inside (and in tasks started inside) as one update's."""
    scope = Answering(holder)
    token = _ANSWERING.set(scope)
    try:
        yield scope
    finally:
        _ANSWERING.reset(token)


class AnsweringMiddleware(BaseMiddleware):
    """The outermost update middleware: a handler's calls (and the apology's) are answers.

    After the update, the chats it answered in are noted, so the outbox leaves them alone
    for PER_CHAT_INTERVAL (also a sender in another process).
    """

    def __init__(self, holder: Holder | None = None) -> None:
        self._holder = holder

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        with answering(self._holder) as scope:
            try:
                return await handler(event, data)
            finally:
                if scope.chats and self._holder is not None:
                    await self._holder.answered(scope.chats)


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


def _posts(method: TelegramMethod[Any]) -> bool:
    name = method.__api_method__
    return name.startswith(_POSTING) and name != "sendChatAction"


class TelegramFaults(BaseRequestMiddleware):
    """A request middleware on the bot's session; see the module docstring.

    `clock` and `sleep` are the time it waits in (tests pass a clock they can move).
    """

    def __init__(
        self,
        *,
        attempts: int = 3,
        first_delay: float = 0.5,
        attempt_timeout: float = 10.0,
        budget: float = REPLY_BUDGET,
        callback_budget: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.first_delay = first_delay
        self.attempt_timeout = attempt_timeout
        self.budget = budget
        self.callback_budget = callback_budget
        self.clock = clock
        self.sleep = sleep
        self.on_unauthorized: Callable[[], None] | None = None
        self.revoked = False
        # One lock per chat while someone uses it: one chat's calls keep their order.
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            scope = _ANSWERING.get()
            if scope is None:
                return await make_request(bot, method)
            if scope.started is None:
                scope.started = self.clock()
            chat = _chat_of(method)
            if chat is None:
                answer = await self._answer(make_request, bot, method, scope, None)
            else:
                async with self._one_at_a_time(chat):
                    answer = await self._answer(make_request, bot, method, scope, chat)
            return cast(Response[TelegramType], answer)
        except TelegramUnauthorizedError:
            self.unauthorized()
            raise

    @asynccontextmanager
    async def _one_at_a_time(self, chat: int) -> AsyncIterator[None]:
        lock = self._chat_locks.get(chat)
        if lock is None:
            lock = self._chat_locks[chat] = asyncio.Lock()
        async with lock:
            yield

    async def _answer(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        scope: Answering,
        chat: int | None,
    ) -> Any:
        posting = chat if chat is not None and _posts(method) else None
        if posting is not None and await self._held_before(scope, posting):
            # An earlier reply still waits in the outbox: this one must not overtake it.
            assert scope.holder is not None
            return await scope.holder.hold(bot, method, posting)
        try:
            result = await self._with_retries(make_request, bot, method, scope)
        except TelegramRetryAfter as error:
            return await self._too_long(error, bot, method, scope, chat)
        except (TelegramServerError, TelegramNetworkError) as error:
            if isinstance(method, AnswerCallbackQuery):
                log.warning("callback answer dropped: %s", error)
                return True
            raise
        if posting is not None:
            scope.chats.add(posting)
        return result

    @staticmethod
    async def _held_before(scope: Answering, chat: int) -> bool:
        holder = scope.holder
        return holder is not None and holder.holds(chat) and await holder.still_holds(chat)

    async def _too_long(
        self,
        error: TelegramRetryAfter,
        bot: Bot,
        method: TelegramMethod[Any],
        scope: Answering,
        chat: int | None,
    ) -> Any:
        """Flood control asks for longer than the update has left."""
        name = method.__api_method__
        if isinstance(method, AnswerCallbackQuery):
            log.warning("callback answer dropped: Telegram asked to wait %s s", error.retry_after)
            return True
        if chat is not None and scope.holder is not None:
            held = await scope.holder.hold(bot, method, chat)
            if held is not None:
                log.warning("%s held for the outbox: retry after %s s", name, error.retry_after)
                return held
        log.warning("%s given up: Telegram asked to wait %s s", name, error.retry_after)
        raise error

    def _left(self, scope: Answering, method: TelegramMethod[Any], first_try: float) -> float:
        assert scope.started is not None
        left = scope.started + self.budget - self.clock()
        if isinstance(method, AnswerCallbackQuery):
            left = min(left, first_try + self.callback_budget - self.clock())
        return left

    async def _with_retries(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        scope: Answering,
    ) -> Response[TelegramType]:
        first_try = self.clock()
        delay = self.first_delay
        failures = 0
        name = method.__api_method__
        while True:
            try:
                return await self._attempt(make_request, bot, method)
            except TelegramRetryAfter as error:
                wait = float(error.retry_after)
                if wait > self._left(scope, method, first_try):
                    raise
                log.info("%s: Telegram asked to wait %s s, waiting", name, error.retry_after)
                await self.sleep(wait)
            except (TelegramServerError, TelegramNetworkError) as error:
                # A timed-out send may have arrived: retrying can repeat it, which is
                # better than a user left without any answer.
                failures += 1
                if failures >= self.attempts or delay >= self._left(scope, method, first_try):
                    log.warning("%s failed %d time(s), giving up: %s", name, failures, error)
                    raise
                log.info("%s failed (%s): retrying in %.1f s", name, error, delay)
                await self.sleep(delay)
                delay *= 2

    async def _attempt(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            async with asyncio.timeout(self.attempt_timeout):  # no task of its own, unlike wait_for
                return await make_request(bot, method)
        except TimeoutError:
            raise TelegramNetworkError(method=method, message="Request timeout error") from None

    def unauthorized(self) -> None:
        """Marks the token revoked (once) and tells `on_unauthorized`; the sender calls it too."""
        if self.revoked:
            return
        self.revoked = True
        if self.on_unauthorized is not None:
            self.on_unauthorized()
