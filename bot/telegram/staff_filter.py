"""Staff routers: only tutors and admins reach their buttons; everyone else is refused.

The filter is applied once on a feature's staff router. A press of one of its buttons by a
citizen or a volunteer (a forged or replayed callback) goes to the feature's refusal
instead, which answers it; the services check the project and the role again, so a tutor
of another project is refused there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import roles
from bot.settings import Settings

# A handler answering the refused press; it may take the usual injected arguments.
Refusal = Callable[..., Awaitable[None]]


def _prefixes(buttons: tuple[type[CallbackData], ...]) -> frozenset[str]:
    return frozenset(button.__prefix__ for button in buttons)


class Buttons(Filter):
    """A press of one of these buttons: a string check, no database."""

    def __init__(self, *buttons: type[CallbackData]) -> None:
        self._prefixes = _prefixes(buttons)

    async def __call__(self, query: CallbackQuery) -> bool:
        return (query.data or "").split(":", 1)[0] in self._prefixes


class StaffPressing(Filter):
    """The one pressing is a tutor or an admin (ADMIN_IDS and `quartiere-bot staff`)."""

    async def __call__(
        self, query: CallbackQuery, session: AsyncSession, settings: Settings
    ) -> bool:
        return await roles.is_staff(session, query.from_user.id, settings.admin_ids)


def staff_only(router: Router, refuse: Refusal, *buttons: type[CallbackData]) -> Router:
    """Wraps a feature's router: its buttons reach it from staff only, others get `refuse`."""
    router.callback_query.filter(Buttons(*buttons), StaffPressing())
    others = Router(name=f"{router.name}.refused")
    others.callback_query.register(refuse, Buttons(*buttons))
    parent = Router(name=f"{router.name}.staff")
    parent.include_routers(router, others)
    return parent
