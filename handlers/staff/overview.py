"""/staff: one message with each staff role held and the commands it gives.

Roles without tools in the chat yet (office, Consulta secretary, hub desk) are named
with their codes and nothing promised; a citizen is told /staff is not for them.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import staff
from bot.services.people.roles import Role
from bot.telegram.context import Context
from handlers.frontdoor.keyboard import front_door
from handlers.shared.commands import names
from handlers.staff.views import role_line, tools


async def show_staff(message: Message, ctx: Context, session: AsyncSession) -> None:
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
    await message.answer("\n".join(lines))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_staff, Command(*names("staff")))
    return router
