"""Waiting for what the tutors are told of a new hours report (shared by the hours tests)."""

from __future__ import annotations

from typing import Any

from tests.support.harness import LiveBot
from tests.support.programme import SECOND_TUTOR, TUTOR, say


async def notice(bot: LiveBot, user: int, after: int) -> dict[str, Any]:
    return await bot.emulator.wait_for_bot_message(user, after=after, timeout=10)


async def log_and_get_notices(
    bot: LiveBot, user: int, text: str, locale: str = "en"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Logs hours as `user` and returns the notices the two tutors get about them."""
    seen = {tutor: bot.emulator.bot_message_count(tutor) for tutor in (TUTOR, SECOND_TUTOR)}
    await say(bot, user, text, locale)
    return await notice(bot, TUTOR, seen[TUTOR]), await notice(
        bot, SECOND_TUTOR, seen[SECOND_TUTOR]
    )
