"""Telegram in and out: one router per feature, collected here in the order they match."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from handlers import basics, errors, fallback, groups, preferences


def create_root_router() -> Router:
    """Private-chat features first, then groups, then the catch-all hints."""
    private = Router(name="private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    private.include_routers(basics.router, preferences.router, fallback.router)

    root = Router(name="root")
    root.include_routers(errors.router, groups.router, private, fallback.stale_buttons)
    return root
