"""The command menu reads on a phone: every description fits the line beside its command."""

from __future__ import annotations

from handlers.basics.menu import register_commands
from tests.support.harness import BotHarness

# Telegram's phone menu gives a command one line: on a 360-point-wide screen about 40
# characters, of which the command takes some eight; a longer description ends in "…".
PHONE_MENU_LINE = 32
ADMIN = 9001


async def test_every_menu_description_fits_a_phone_line(harness: BotHarness) -> None:
    await harness.say(ADMIN, "/start", language_code="it")  # a chat to set the staff menu in
    await register_commands(harness.bot, harness.dispatcher["i18n"], set(), {ADMIN})
    menus = harness.emulator.bot_commands
    assert any(scope[0] == "chat" for scope, _ in menus), "the staff menu was not set"
    too_long = [
        f"{language or 'default'} /{c['command']}: {c['description']!r} ({len(c['description'])})"
        for (_, language), commands in menus.items()
        for c in commands
        if len(c["description"]) > PHONE_MENU_LINE
    ]
    assert not too_long, f"menu descriptions over {PHONE_MENU_LINE} characters: {too_long}"
