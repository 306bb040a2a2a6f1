"""A time limit on each update (UPDATE_TIME_LIMIT): one stuck update never holds up the rest.

On expiry the handling is cancelled: the update's session closes with its transaction
rolled back (nothing half-saved), the error handlers apologise as for any other failure,
and the update counts as handled, so polling confirms it and the webhook answers 200:
it is never delivered again. Its user's lock and its connections are released, and in
polling the offset moves on past it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class UpdateTimeLimitExceeded(Exception):
    """The update was still being handled when its time ran out."""


class TimeLimitMiddleware(BaseMiddleware):
    """An outer update middleware; it must wrap the session's, so the rollback happens."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        limit = asyncio.timeout(self.seconds)
        try:
            async with limit:
                return await handler(event, data)
        except TimeoutError:
            if not limit.expired():
                raise  # a timeout of the handler's own
            raise UpdateTimeLimitExceeded(
                f"still being handled after UPDATE_TIME_LIMIT ({self.seconds:g} s)"
            ) from None
