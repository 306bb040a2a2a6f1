"""Telegram faults while answering: 5xx and timeouts retried within bounds, a revoked token noticed.

Only calls made while an update is being handled are retried here (`AnsweringMiddleware`
marks them): the outbox sender has a retry policy of its own (with backoff across ticks and
its rate limits), and long polling backs off by itself. A 4xx is the caller's mistake or the
user's doing and is never retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject

log = logging.getLogger(__name__)

_ANSWERING: ContextVar[bool] = ContextVar("answering", default=False)


@contextmanager
def answering() -> Iterator[None]:
    """Marks the Bot API calls made inside (and in tasks started inside) as answers."""
    token = _ANSWERING.set(True)
    try:
        yield
    finally:
        _ANSWERING.reset(token)


class AnsweringMiddleware(BaseMiddleware):
    """An outer update middleware: the Bot API calls of a handler are answers, retried as such."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        with answering():
            return await handler(event, data)


class TelegramFaults(BaseRequestMiddleware):
    """A request middleware on the bot's session; see the module docstring.

    Bounds: at most `attempts` tries of one call, each cut off after `attempt_timeout`
    seconds, and no new try once `budget` seconds have passed since the first, so a user's
    update never waits on Telegram for long.
    """

    def __init__(
        self,
        *,
        attempts: int = 3,
        first_delay: float = 0.5,
        attempt_timeout: float = 10.0,
        budget: float = 20.0,
    ) -> None:
        self.attempts = attempts
        self.first_delay = first_delay
        self.attempt_timeout = attempt_timeout
        self.budget = budget
        self.on_unauthorized: Callable[[], None] | None = None
        self.revoked = False

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            if not _ANSWERING.get():
                return await make_request(bot, method)
            return await self._with_retries(make_request, bot, method)
        except TelegramUnauthorizedError:
            self.unauthorized()
            raise

    async def _with_retries(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        started = time.monotonic()
        delay = self.first_delay
        attempt = 1
        while True:
            try:
                return await self._attempt(make_request, bot, method)
            except (TelegramServerError, TelegramNetworkError) as error:
                # A timed-out send may have arrived: retrying can repeat it, which is
                # better than a user left without any answer.
                spent = time.monotonic() - started
                if attempt >= self.attempts or spent + delay >= self.budget:
                    log.warning(
                        "%s failed %d time(s), giving up: %s", method.__api_method__, attempt, error
                    )
                    raise
                log.info("%s failed (%s): retrying in %.1f s", method.__api_method__, error, delay)
            await asyncio.sleep(delay)
            delay *= 2
            attempt += 1

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
