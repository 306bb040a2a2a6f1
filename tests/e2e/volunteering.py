"""What a volunteer does in the chat: open a project's card, join the register."""

from __future__ import annotations

from typing import Any

from handlers.shared.keyboards import item_label
from tests.support.harness import LiveBot


async def open_card(bot: LiveBot, user: int, title: str, locale: str = "en") -> dict[str, Any]:
    [listing] = await bot.say(user, "/volunteer", language_code=locale)
    await bot.press(user, listing, item_label("ℹ️", title))  # the card replaces the list
    card = bot.emulator.message(user, listing["message_id"])
    assert card is not None
    return card


async def register(bot: LiveBot, user: int, card: dict[str, Any], join: str, birth: str) -> list:
    _, [residence] = await bot.press(user, card, join)
    await bot.press(user, residence, "Yes")
    await bot.say(user, "Maria Rossi")
    await bot.say(user, birth)
    [_, consent] = await bot.say(user, "+39 333 1234567")
    _, replies = await bot.press(user, consent, "I agree")
    return replies


async def start(bot: LiveBot, user: int, card: dict[str, Any]) -> None:
    """Presses the Saturday shift's Join and answers "Yes" to living in the city."""
    _, [residence] = await bot.press(user, card, "Join: Sat 5 Dec, 09:00–12:00")
    await bot.press(user, residence, "Yes")
