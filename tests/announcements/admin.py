"""What the admin does in /broadcast: compose, choose the audience, send."""

from __future__ import annotations

from typing import Any

from emulator.html import parse_html
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import LiveBot


async def say_formatted(bot: LiveBot, user: int, html_source: str) -> list[dict[str, Any]]:
    """The user writes a formatted message (bold, italics...) as the Telegram app sends it."""
    text, entities = parse_html(html_source)
    before = bot.emulator.bot_message_count(user)
    # The emulator's public actions send plain text only; this is what they use inside.
    bot.emulator._user_message(user, {"text": text, "entities": entities}, {})
    await bot.process()
    return bot.emulator.bot_messages(user, include_deleted=True)[before:]


async def press_on(bot: LiveBot, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Presses a button and returns the same message as it is afterwards (edited or not)."""
    await bot.press(ADMIN_ID, message, label)
    current = bot.emulator.message(ADMIN_ID, message["message_id"])
    assert current is not None
    return current


async def compose(bot: LiveBot, html_source: str) -> dict[str, Any]:
    [prompt] = await bot.say(ADMIN_ID, "/broadcast")
    assert prompt["text"].startswith("Send me the announcement")
    [versions] = await say_formatted(bot, ADMIN_ID, html_source)
    return versions


async def choose_audience(bot: LiveBot, versions: dict[str, Any], *groups: tuple[str, str]) -> Any:
    _, [menu] = await bot.press(ADMIN_ID, versions, "Next: the audience ➡️")
    for kind, name in groups:
        menu = await press_on(bot, menu, kind)
        if name:
            menu = await press_on(bot, menu, name)
    return menu


async def send_now(bot: LiveBot, menu: dict[str, Any], urgency: str) -> list[dict[str, Any]]:
    """From the audience menu: now, the urgency, and back come the preview and the summary."""
    _, [when] = await bot.press(ADMIN_ID, menu, "Next: when ➡️")
    _, [urgency_menu] = await bot.press(ADMIN_ID, when, "Now")
    _, replies = await bot.press(ADMIN_ID, urgency_menu, urgency)
    return replies
