"""The front door's buttons: the first things a person can do, and staff their own row."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.frontdoor.doors import Doors, doors_for
from bot.services.people.roles import Role
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, in_rows, markup
from handlers.shared.callbacks import FrontDoor, HubServices


def _door(text: str, command: str) -> InlineKeyboardButton:
    return button(text, FrontDoor(command=command))


def door_keyboard(doors: Doors) -> InlineKeyboardMarkup:
    """Five or six buttons, two a row; a tutor's and an admin's own row under them."""
    everyone = [
        _door(_("📍 Nearest hub"), "hubs"),
        button(_("🧰 Find a service"), HubServices()),
        _door(_("📅 Events"), "events"),
        _door(_("🙋 Volunteering"), "volunteer"),
    ]
    if doors.my_shifts:
        everyone.append(_door(_("🗓 My shifts"), "shifts"))
    elif doors.my_hours:
        everyone.append(_door(_("⏱ My hours"), "myhours"))
    everyone.append(_door(_("⚙️ Settings"), "settings"))
    staff = []
    if doors.role is not Role.CITIZEN:
        staff += [_door(_("✅ Approve hours"), "approve"), _door(_("📊 Report"), "report")]
    if doors.role is Role.ADMIN:
        staff += [_door(_("📣 Broadcast"), "broadcast"), _door(_("📈 Stats"), "stats")]
    return markup([*in_rows(everyone, 2), *in_rows(staff, 2)])


async def front_door(ctx: Context, session: AsyncSession) -> InlineKeyboardMarkup:
    return door_keyboard(await doors_for(session, await ctx.actor(), ctx.now))
