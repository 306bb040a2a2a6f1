"""Per-update context: a database session, the user's profile and their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.i18n import resolve_locale
from bot.services.people import users

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class SessionMiddleware(BaseMiddleware):
    """One session per update; whatever a handler did not commit is rolled back."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._sessions() as session:
            data["session"] = session
            return await handler(event, data)


class ProfileMiddleware(BaseMiddleware):
    """Records the sender on first contact and hands their profile to the handlers."""

    def __init__(self, clock: Clock, profiles: users.ProfileCache) -> None:
        self._clock = clock
        self._profiles = profiles

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is not None and not sender.is_bot:
            session: AsyncSession = data["session"]
            data["profile"] = await users.record_visit(
                session,
                sender.id,
                sender.language_code,
                self._clock.now(),
                sender.first_name,
                cache=self._profiles,
            )
        return await handler(event, data)


class LocaleMiddleware(I18nMiddleware):
    """The stored choice, else the Telegram language when supported, else the default."""

    def __init__(self, i18n: I18n, default_locale: str) -> None:
        super().__init__(i18n)
        self._default = default_locale

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        profile: users.Profile | None = data.get("profile")
        sender: User | None = data.get("event_from_user")
        chosen = profile.chosen_locale if profile else None
        return resolve_locale(chosen, sender.language_code if sender else None, self._default)
