"""The command menu: which commands exist, for whom, registered with setMyCommands."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __
from babel.support import LazyProxy

from bot.i18n import SUPPORTED_LOCALES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    name: str
    description: LazyProxy
    staff_only: bool = False


# Only commands that exist are listed; features add theirs here as they arrive.
COMMANDS: tuple[Command, ...] = (
    Command("start", __("Welcome and what I can do")),
    Command("help", __("The commands")),
    Command("hubs", __("Find the nearest Casa di quartiere")),
    Command("volunteer", __("Volunteering projects and shifts")),
    Command("shifts", __("Your upcoming shifts")),
    Command("settings", __("Your language and home quartiere")),
    Command("language", __("Change language")),
    Command("privacy", __("How your data is used")),
    Command("cancel", __("Leave the current conversation")),
)


def commands_for(*, staff: bool) -> list[Command]:
    return [command for command in COMMANDS if staff or not command.staff_only]


def _bot_commands(commands: list[Command]) -> list[BotCommand]:
    return [BotCommand(command=c.name, description=str(c.description)) for c in commands]


async def register_commands(bot: Bot, i18n: I18n, staff_ids: set[int]) -> None:
    """The everyone menu per language, and for staff a per-chat menu when theirs differs."""
    everyone = commands_for(staff=False)
    staff = commands_for(staff=True)
    for locale in SUPPORTED_LOCALES:
        with i18n.context(), i18n.use_locale(locale):
            await bot.set_my_commands(
                _bot_commands(everyone), scope=BotCommandScopeDefault(), language_code=locale
            )
            if staff == everyone:
                continue
            for chat_id in sorted(staff_ids):
                try:
                    await bot.set_my_commands(
                        _bot_commands(staff),
                        scope=BotCommandScopeChat(chat_id=chat_id),
                        language_code=locale,
                    )
                except TelegramAPIError as error:
                    # A staff member who never opened a chat with the bot cannot get a menu yet.
                    log.warning("staff menu not set for one chat: %s", error)
    with i18n.context(), i18n.use_locale(i18n.default_locale):
        await bot.set_my_commands(_bot_commands(everyone), scope=BotCommandScopeDefault())
