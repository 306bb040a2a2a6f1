"""/settings: muting non-urgent announcements (urgent ones always arrive)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.announcements import compose as announcements
from bot.services.people import users
from bot.telegram.context import Context
from handlers.settings.preferences import refresh_settings
from handlers.shared.callbacks import SettingsAction


async def toggle_mute(
    query: CallbackQuery,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    profile: users.Profile,
    callback_answer: CallbackAnswer,
) -> None:
    telegram_id = query.from_user.id
    muted = not await announcements.is_muted(session, telegram_id)
    await announcements.set_muted(session, telegram_id, muted)
    callback_answer.text = (
        _("Only urgent announcements will reach you now.")
        if muted
        else _("You will receive every announcement again.")
    )
    await refresh_settings(message, ctx, session, profile)


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(toggle_mute, SettingsAction.filter(F.action == "mute"))
    return router
