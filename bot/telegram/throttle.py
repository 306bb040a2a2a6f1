"""Flood control: past a number of updates in a time window, a user is slowed down.

The first update over the limit gets a polite translated message; the rest are dropped
until the user is back under the limit. A pressed button is always answered (with a
short "slow down"), so no client is left with a spinning button. Everything is in
memory: the normal path costs a dictionary lookup and a deque append.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import resolve_locale
from bot.services.people.users import Profile
from bot.telegram.middlewares import Handler

LIMIT = 20
WINDOW = 10.0  # seconds
_PRUNE_EVERY = 10_000  # updates between sweeps of users gone quiet


class _Recent:
    __slots__ = ("times", "warned")

    def __init__(self, limit: int) -> None:
        self.times: deque[float] = deque(maxlen=limit)  # the latest updates' times
        self.warned = False


class ThrottleMiddleware(BaseMiddleware):
    """An outer update middleware: after the profile (for the language), before the handlers."""

    def __init__(
        self,
        i18n: I18n,
        default_locale: str,
        *,
        limit: int = LIMIT,
        window: float = WINDOW,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._i18n = i18n
        self._default = default_locale
        # Public, so a test feeding many updates from few users may raise the limit or move time.
        self.limit = limit
        self.window = window
        self.monotonic = monotonic
        self._users: dict[int, _Recent] = {}
        self._seen = 0

    def allow(self, user_id: int) -> bool | None:
        """True to handle; False to drop; None to drop after telling the user once."""
        now = self.monotonic()
        self._seen += 1
        if self._seen % _PRUNE_EVERY == 0:
            self._prune(now)
        recent = self._users.get(user_id)
        if recent is None:
            recent = self._users[user_id] = _Recent(self.limit)
        times = recent.times
        if len(times) == self.limit and now - times[0] < self.window:
            if recent.warned:
                return False
            recent.warned = True
            return None
        # Dropped updates are not counted: a user who slows down is served again at once.
        times.append(now)
        recent.warned = False
        return True

    def _prune(self, now: float) -> None:
        quiet = [
            user_id
            for user_id, recent in self._users.items()
            if not recent.times or now - recent.times[-1] > self.window
        ]
        for user_id in quiet:
            del self._users[user_id]

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is None:
            return await handler(event, data)
        verdict = self.allow(sender.id)
        if verdict is True:
            return await handler(event, data)
        assert isinstance(event, Update)
        profile: Profile | None = data.get("profile")
        locale = resolve_locale(
            profile.chosen_locale if profile else None, sender.language_code, self._default
        )
        with self._i18n.context(), self._i18n.use_locale(locale):
            await self._slow_down(event, first=verdict is None)
        return None

    async def _slow_down(self, update: Update, *, first: bool) -> None:
        query: CallbackQuery | None = update.callback_query
        if query is not None:
            await query.answer(_("Slow down, please."))
            return
        message: Message | None = update.message
        if first and message is not None:
            await message.answer(
                _(
                    "You are sending a lot of messages at once. Please wait a few seconds "
                    "before the next one: I'll read what you send after that."
                )
            )
