"""A restart in the middle of a conversation continues it where it was."""

from __future__ import annotations

from bot.runtime.app import create_bot, create_dispatcher
from tests.support.harness import BotHarness, button_labels
from tests.support.session import EmulatedSession

GIULIA = 851


async def test_registration_continues_after_a_restart(harness: BotHarness, load_catalog) -> None:
    await load_catalog("projects.yaml")
    [listing] = await harness.say(GIULIA, "/volunteer", language_code="en")
    await harness.press(GIULIA, listing, "ℹ️ Shared gardens")  # the card replaces the list
    card = harness.emulator.message(GIULIA, listing["message_id"])
    assert card is not None
    _, [residence] = await harness.press(GIULIA, card, "Join: Sat 5 Dec, 09:00–12:00")
    assert button_labels(residence) == ["Yes", "No"]
    await harness.press(GIULIA, residence, "Yes")
    await harness.say(GIULIA, "Giulia Neri")

    # A new process: new Bot, new Dispatcher, new conversation storage, same database.
    await harness.dispatcher.emit_shutdown()
    restarted = BotHarness(
        harness.emulator,
        create_bot(harness.settings, session=EmulatedSession(harness.emulator)),
        create_dispatcher(harness.settings, harness.sessions, harness.clock),
        harness.sessions,
        harness.clock,
        harness.settings,
    )
    restarted._offset = harness._offset
    [question] = await restarted.say(GIULIA, "12/03/1985")
    assert question["text"].startswith("Your phone number")
    [_, consent] = await restarted.say(GIULIA, "3331234567")
    assert button_labels(consent) == ["I agree", "I do not agree"]
    await restarted.dispatcher.emit_shutdown()
