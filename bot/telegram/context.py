"""One context per update: the moment, the actor, the language and the programme's rules.

Built once by `ContextMiddleware`, after the session, profile and locale middlewares, and
handed to every handler as `ctx`; handlers pass it (or its parts) to the services instead
of reading the clock, the settings and the locale themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, Router
from aiogram.dispatcher.flags import get_flag
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services.hours.reports import Rules
from bot.services.people.roles import Actor, actor_of
from bot.services.volunteering.reminder_times import ReminderPolicy
from bot.settings import Settings

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Context:
    now: datetime  # aware, UTC
    user_id: int
    locale: str
    default_locale: str
    zone: ZoneInfo  # the programme's
    hours: Rules
    reminders: ReminderPolicy
    load_actor: Callable[[], Awaitable[Actor]] = field(repr=False)

    async def actor(self) -> Actor:
        """The sender with their role as the database says now, read once per update."""
        return await self.load_actor()

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


class ContextMiddleware(BaseMiddleware):
    """Reads the clock once, and the actor's role when first asked, for filters and handler."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._reminders = ReminderPolicy.from_settings(settings)

    def setup(self, router: Router) -> None:
        """On every event observer, like the locale middleware it must follow."""
        for name, observer in router.observers.items():
            if name not in ("update", "error"):
                observer.outer_middleware(self)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: User | None = data.get("event_from_user")
        if sender is not None:
            data["ctx"] = await self._build(data["session"], sender.id, data["i18n"])
        return await handler(event, data)

    async def _build(self, session: AsyncSession, telegram_id: int, i18n: I18n) -> Context:
        settings = self._settings
        now = self._clock.now()
        zone = settings.timezone
        return Context(
            now=now,
            user_id=telegram_id,
            locale=i18n.current_locale,
            default_locale=settings.default_locale,
            zone=zone,
            hours=Rules(
                now,
                zone,
                settings.hours_max_age_days,
                settings.admin_ids,
                locale=i18n.current_locale,
                default_locale=settings.default_locale,
            ),
            reminders=self._reminders,
            load_actor=_actor_loader(session, telegram_id, settings.admin_ids),
        )


def _actor_loader(
    session: AsyncSession, telegram_id: int, admin_ids: tuple[int, ...]
) -> Callable[[], Awaitable[Actor]]:
    # Most updates (a location, /hubs) never ask for the role: reading it costs them nothing.
    actor: Actor | None = None

    async def load() -> Actor:
        nonlocal actor
        if actor is None:
            actor = await actor_of(session, telegram_id, admin_ids)
        return actor

    return load


class CallbackAnswers(CallbackAnswerMiddleware):
    """aiogram's answering once the handler is done, with what it set on `callback_answer`;
    a handler that failed is left unanswered here, so the apology can answer it."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = self.construct_callback_answer(properties=get_flag(data, "callback_answer"))
        data["callback_answer"] = answer
        result = await handler(event, data)
        if not answer.disabled:
            await self.answer(event, answer)
        return result


class OnMessage(Filter):
    """A press on a message the bot can still see: hands it to the handler as `message`."""

    async def __call__(self, query: CallbackQuery) -> bool | dict[str, Any]:
        if isinstance(query.message, Message):
            return {"message": query.message}
        return False
