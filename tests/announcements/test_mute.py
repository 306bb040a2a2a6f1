"""/settings: a user mutes non-urgent announcements, and urgent ones still reach them."""

from __future__ import annotations

from tests.announcements.town import announce, received, settled
from tests.support.harness import LiveBot, button_labels


async def test_a_user_mutes_ordinary_announcements_in_settings(town: LiveBot) -> None:
    bot = town
    [settings] = await bot.say(102, "/settings", language_code="en")
    assert "Announcements: every one" in settings["text"]
    answer, _ = await bot.press(102, settings, "🔔 All announcements")
    assert answer is not None and answer["text"] == "Only urgent announcements will reach you now."
    settings = bot.emulator.message(102, settings["message_id"]) or {}
    assert "Announcements: urgent ones only" in settings["text"]
    assert "🔕 Only urgent announcements" in button_labels(settings)
    await settled(bot, await announce(bot, "Ordinary", "quartiere:ospizio"))
    await settled(bot, await announce(bot, "Urgent", "quartiere:ospizio", urgent=True))
    assert sorted(received(bot, "Ordinary")) == [101]
    assert sorted(received(bot, "Urgent")) == [101, 102, 108]

    answer, _ = await bot.press(102, settings, "🔕 Only urgent announcements")
    assert answer is not None and answer["text"] == "You will receive every announcement again."
    await settled(bot, await announce(bot, "Again", "quartiere:ospizio"))
    assert sorted(received(bot, "Again")) == [101, 102]
