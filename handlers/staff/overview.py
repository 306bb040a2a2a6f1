"""/staff: one message with each staff role held and the commands it gives.

Where the bot serves the Mini App (PUBLIC_BASE_URL), the message carries its button.
Roles without tools in the chat yet (office, Consulta secretary, hub desk) are named
with their codes and nothing promised; a citizen is told /staff is not for them.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import staff
from bot.services.people.roles import Role
from bot.settings import Settings
from bot.telegram.context import Context
from handlers.frontdoor.keyboard import front_door
from handlers.shared.commands import names
from handlers.shared.mini_app import mini_app_button
from handlers.staff.views import role_line, tools


async def show_staff(
    message: Message, ctx: Context, session: AsyncSession, settings: Settings
) -> None:
    held = await staff.roles_held(session, await ctx.actor())
    if not held:
        await message.answer(
            _("/staff is for the programme's staff: tutors, admins and the city's offices."),
            reply_markup=await front_door(ctx, session),
        )
        return
    admin = any(role.role is Role.ADMIN for role in held)
    lines = [_("<b>Your staff roles</b>")]
    for role in held:
        lines += ["", role_line(role, ctx.locale, ctx.default_locale)]
        lines += tools(role.role, ctx.locale, admin)
    button = mini_app_button(settings, ctx.locale)  # None without PUBLIC_BASE_URL
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[button]]) if button else None
    await message.answer("\n".join(lines), reply_markup=keyboard)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_staff, Command(*names("staff")))
    return router
