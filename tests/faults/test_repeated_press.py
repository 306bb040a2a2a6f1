"""A button pressed twice (a double tap, or an old message) is no error for the user."""

from __future__ import annotations

from tests.support.harness import BotHarness

LUCIA = 4501


async def test_pressing_the_same_filter_twice_keeps_the_choice_without_an_apology(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("projects.yaml")
    [listing] = await harness.say(LUCIA, "/volunteer", language_code="en")
    theme_button = next(
        button["callback_data"]
        for row in listing["reply_markup"]["inline_keyboard"]
        for button in row
        if button["text"] == "🎯 Theme"
    )
    # A double tap: the second press leaves the phone before the first one's edit arrives,
    # and finds the message already showing the themes.
    for _ in range(2):
        query = harness.emulator.user_sends_callback(
            LUCIA, theme_button, message_id=listing["message_id"]
        )
        await harness.process()
        assert harness.emulator.callback_answer(query) is not None
    shown = harness.emulator.message(LUCIA, listing["message_id"])
    assert shown is not None and shown["text"] == "Which theme?"
    assert harness.emulator.bot_message_count(LUCIA) == 1  # no apology came
    assert harness.dispatcher["metrics"].errors == {}
