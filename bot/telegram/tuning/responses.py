"""Keeps aiogram's parsed response types alive for as long as the bot runs.

aiogram parses every Bot API answer with ``Response[method.__returning__]``, a pydantic
generic model. pydantic caches each parametrised model in a weak dictionary only, so the
garbage collector keeps dropping them and the next answer rebuilds the model's schema, which
costs tens of milliseconds each time. Holding one strong reference per return type makes
that a one-off at first use.

Why: those rebuilds took 10-25 ms each and about 30 % of the bot's CPU in steady state
(BENCHMARKS.md, "After the CPU work on the update path").

Checked against aiogram 3.31.0 (``Response[method.__returning__]`` in its session) and
pydantic 2.13.5 (its weak cache of parametrised generic models).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseTypes(BaseRequestMiddleware):
    """A request middleware that pins ``Response[T]`` for every return type it sees."""

    def __init__(self) -> None:
        self._kept: dict[Any, type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
