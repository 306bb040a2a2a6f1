"""Staff routers: only those holding the feature's role reach it; everyone else is refused.

`staff_only` is applied once on each staff feature's router. A press of one of its buttons
by someone without the role (a forged or replayed callback) goes to the feature's refusal
instead, which answers it; the services check the actor's role and projects again, so a
tutor of another project is refused there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, TelegramObject

from bot.services.people.roles import Role
from bot.telegram.context import Context

# A handler answering the refused press; it may take the usual injected arguments.
Refusal = Callable[..., Awaitable[None]]


class Buttons(Filter):
    """A press of one of these buttons: a string check, no database."""

    def __init__(self, *buttons: type[CallbackData]) -> None:
        self._prefixes = frozenset(button.__prefix__ for button in buttons)

    async def __call__(self, query: CallbackQuery) -> bool:
        return (query.data or "").split(":", 1)[0] in self._prefixes


class Holds(Filter):
    """The actor holds the role (ADMIN_IDS and `quartiere-bot staff`), as read into the context."""

    def __init__(self, role: Role) -> None:
        self._role = role

    async def __call__(self, event: TelegramObject, ctx: Context | None = None) -> bool:
        return ctx is not None and (await ctx.actor()).holds(self._role)


def staff_only(
    router: Router,
    role: Role,
    refuse: Refusal,
    *buttons: type[CallbackData],
    messages: Filter | None = None,
    others: Router | None = None,
) -> Router:
    """Wraps a feature's router: its buttons (and `messages`) reach it only from `role`.

    Anyone else's press goes to `refuse`; `others` holds the feature's refusals of messages.
    """
    router.callback_query.filter(Buttons(*buttons), Holds(role))
    if messages is not None:
        router.message.filter(messages, Holds(role))
    others = others or Router(name=f"{router.name}.refused")
    others.callback_query.register(refuse, Buttons(*buttons))
    parent = Router(name=f"{router.name}.staff")
    parent.include_routers(router, others)
    return parent
