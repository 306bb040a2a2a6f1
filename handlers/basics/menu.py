"""The command menu: which commands exist, for whom, registered with setMyCommands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import IntEnum

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __
from babel.support import LazyProxy

from bot.i18n import SUPPORTED_LOCALES
from bot.services.people.roles import Actor, Role
from handlers.shared.commands import local_name

log = logging.getLogger(__name__)


class Audience(IntEnum):
    """Who sees a command in their menu; each audience also sees the ones before it."""

    EVERYONE = 0
    ROLES = 1  # anyone holding a staff role (office, secretary, desk only: just /staff)
    STAFF = 2  # tutors and admins
    ADMIN = 3


@dataclass(frozen=True)
class Command:
    name: str
    description: LazyProxy
    audience: Audience = Audience.EVERYONE


# Only commands that exist are listed; features add theirs here as they arrive.
COMMANDS: tuple[Command, ...] = (
    Command("start", __("Welcome and what I can do")),
    Command("help", __("The commands")),
    Command("hubs", __("The nearest Casa di quartiere")),
    Command("events", __("Greenway events")),
    Command("volunteer", __("Volunteering projects and shifts")),
    Command("shifts", __("Your upcoming shifts")),
    Command("hours", __("Log your volunteering hours")),
    Command("myhours", __("Your hours, approved and pending")),
    Command("settings", __("Your language and home quartiere")),
    Command("language", __("Change language")),
    Command("privacy", __("How your data is used")),
    Command("mydata", __("Everything stored about you")),
    Command("forget", __("Erase your data")),
    Command("cancel", __("Leave the current conversation")),
    Command("staff", __("What your staff roles let you do"), Audience.ROLES),
    Command("approve", __("Approve volunteers' hours"), Audience.STAFF),
    Command("report", __("Key figures of your projects"), Audience.STAFF),
    Command("stats", __("The programme's key figures"), Audience.ADMIN),
    Command("broadcast", __("Send an announcement"), Audience.ADMIN),
)


def commands_for(audience: Audience = Audience.EVERYONE) -> list[Command]:
    return [command for command in COMMANDS if command.audience <= audience]


def audience_of(actor: Actor) -> Audience:
    if actor.is_admin:
        return Audience.ADMIN
    if actor.holds(Role.TUTOR):
        return Audience.STAFF
    return Audience.ROLES if actor.is_staff else Audience.EVERYONE


def _bot_commands(commands: list[Command], locale: str) -> list[BotCommand]:
    """The commands under the names of the language they are described in."""
    return [
        BotCommand(command=local_name(c.name, locale), description=str(c.description))
        for c in commands
    ]


async def register_commands(
    bot: Bot,
    i18n: I18n,
    tutor_ids: set[int],
    admin_ids: set[int],
    chosen: dict[int, str] | None = None,
    other_ids: set[int] | None = None,
) -> None:
    """The everyone menu per language, and per staff chat a menu when theirs differs:
    in the language the staff member chose with /language (`chosen`), else per language.
    `other_ids` hold only office, secretary or desk roles."""
    chosen = chosen or {}
    everyone = commands_for()
    menus = {audience: commands_for(audience) for audience in Audience}
    chats = {chat_id: Audience.ROLES for chat_id in (other_ids or set()) - tutor_ids - admin_ids}
    chats.update({chat_id: Audience.STAFF for chat_id in tutor_ids - admin_ids})
    chats.update({chat_id: Audience.ADMIN for chat_id in admin_ids})
    for locale in SUPPORTED_LOCALES:
        with i18n.context(), i18n.use_locale(locale):
            await bot.set_my_commands(
                _bot_commands(everyone, locale),
                scope=BotCommandScopeDefault(),
                language_code=locale,
            )
            for chat_id, audience in sorted(chats.items()):
                if menus[audience] != everyone and chat_id not in chosen:
                    await _set_chat_menu(bot, chat_id, menus[audience], locale, locale)
    for chat_id, locale in sorted(chosen.items()):
        if chat_id in chats:
            with i18n.context(), i18n.use_locale(locale):
                await _set_chat_menus(bot, chat_id, menus[chats[chat_id]], locale)
    with i18n.context(), i18n.use_locale(i18n.default_locale):
        await bot.set_my_commands(
            _bot_commands(everyone, i18n.default_locale), scope=BotCommandScopeDefault()
        )


async def register_chat_commands(bot: Bot, chat_id: int, actor: Actor, locale: str) -> None:
    """A user chose a language: their chat's menu in it, whatever their Telegram's language.

    Telegram prefers a chat menu for the client's language over one for any language, so
    every supported language's entry is set too (staff chats have those already).
    """
    await _set_chat_menus(bot, chat_id, commands_for(audience_of(actor)), locale)


async def _set_chat_menus(bot: Bot, chat_id: int, commands: list[Command], locale: str) -> None:
    for language_code in ("", *SUPPORTED_LOCALES):
        await _set_chat_menu(bot, chat_id, commands, locale, language_code)


async def _set_chat_menu(
    bot: Bot, chat_id: int, commands: list[Command], locale: str, language_code: str
) -> None:
    """`commands` described in `locale`, shown to clients set to `language_code` ("": any)."""
    try:
        await bot.set_my_commands(
            _bot_commands(commands, locale),
            scope=BotCommandScopeChat(chat_id=chat_id),
            language_code=language_code or None,
        )
    except TelegramAPIError as error:
        # Someone who never opened a chat with the bot cannot get a menu of their own yet.
        log.warning("menu not set for one chat: %s", error)
