"""First contact and the basics, through the production dispatcher."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramAPIError

from bot.i18n import SUPPORTED_LOCALES
from handlers.basics.menu import COMMANDS, commands_for, register_commands
from handlers.shared.commands import local_name
from tests.support.harness import BotHarness, button_labels

ANNA, JOHN, PIERRE = 101, 102, 103


async def test_start_greets_in_the_senders_telegram_language(harness: BotHarness) -> None:
    [italian] = await harness.say(ANNA, "/start", language_code="it", first_name="Anna")
    [english] = await harness.say(JOHN, "/start", language_code="en-GB", first_name="John")
    assert italian["text"].startswith("Ciao Anna!")
    assert "/privacy" in italian["text"]
    assert english["text"].startswith("Hello John!")
    assert "📍 Nearest hub" in button_labels(english)


async def test_an_unsupported_language_gets_the_default_locale(harness: BotHarness) -> None:
    [reply] = await harness.say(PIERRE, "/start", language_code="fr", first_name="Pierre")
    assert reply["text"].startswith("Ciao Pierre!")


async def test_language_choice_is_kept_over_the_telegram_language(harness: BotHarness) -> None:
    [question] = await harness.say(ANNA, "/language", language_code="it")
    assert button_labels(question) == ["🇮🇹 Italiano", "🇬🇧 English"]
    answer, _ = await harness.press(ANNA, question, "🇬🇧 English")
    assert answer is not None and answer["text"] == "Language set: 🇬🇧 English."
    assert harness.emulator.message(ANNA, question["message_id"])["text"] == (
        "Language set: 🇬🇧 English."
    )
    [help_reply] = await harness.say(ANNA, "/help", language_code="it")
    assert help_reply["text"].startswith("Here is what I can do:")


async def test_settings_show_and_change_the_home_quartiere(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    [settings] = await harness.say(JOHN, "/settings", language_code="en")
    assert "Home quartiere: none" in settings["text"]

    def now_showing() -> dict[str, Any]:
        current = harness.emulator.message(JOHN, settings["message_id"])
        assert current is not None
        return current

    _, new = await harness.press(JOHN, settings, "Home quartiere")
    assert new == []  # the choice replaces the settings in the same message
    choices = now_showing()
    assert choices["text"] == "Choose your home quartiere (neighbourhood):"
    assert "Ospizio" in button_labels(choices) and "◀️ Settings" in button_labels(choices)
    answer, _ = await harness.press(JOHN, choices, "Ospizio")
    assert answer is not None and answer["text"] == "Home quartiere set: Ospizio."
    assert "Home quartiere: Ospizio" in now_showing()["text"]  # back to the settings, updated
    await harness.press(JOHN, now_showing(), "Home quartiere")
    await harness.press(JOHN, now_showing(), "◀️ Settings")
    assert now_showing()["text"].startswith("Your settings")
    assert harness.emulator.bot_message_count(JOHN) == 1


async def test_a_settings_toggle_edits_the_settings_to_the_new_state(
    harness: BotHarness,
) -> None:
    [settings] = await harness.say(ANNA, "/settings", language_code="it")
    assert "Annunci: tutti" in settings["text"]
    _, new = await harness.press(ANNA, settings, "🔔 Tutti gli annunci")
    assert new == []
    muted = harness.emulator.message(ANNA, settings["message_id"])
    assert muted is not None
    assert "Annunci: solo quelli urgenti" in muted["text"]
    assert "🔕 Solo annunci urgenti" in button_labels(muted)
    assert "🔔 Tutti gli annunci" not in button_labels(muted)
    await harness.press(ANNA, muted, "🔕 Solo annunci urgenti")
    again = harness.emulator.message(ANNA, settings["message_id"])
    assert again is not None and "Annunci: tutti" in again["text"]


async def test_the_language_chosen_in_settings_shows_the_settings_in_it(
    harness: BotHarness,
) -> None:
    [settings] = await harness.say(ANNA, "/settings", language_code="it")
    await harness.press(ANNA, settings, "Cambia lingua")
    choice = harness.emulator.message(ANNA, settings["message_id"])
    assert choice is not None and "◀️ Impostazioni" in button_labels(choice)
    answer, _ = await harness.press(ANNA, choice, "🇬🇧 English")
    assert answer is not None and answer["text"] == "Language set: 🇬🇧 English."
    shown = harness.emulator.message(ANNA, settings["message_id"])
    assert shown is not None and shown["text"].startswith("Your settings\nLanguage: 🇬🇧 English")


async def test_privacy_names_the_controller_purposes_and_rights(harness: BotHarness) -> None:
    [reply] = await harness.say(JOHN, "/privacy", language_code="en")
    for part in (
        "Controller:",
        "What and why:",
        "Legal basis:",
        "How long:",
        "Who sees it:",
        "Your rights:",
        "Contact:",
    ):
        assert part in reply["text"]
    assert "never stored" in reply["text"]


async def test_cancel_outside_a_conversation_says_so(harness: BotHarness) -> None:
    [reply] = await harness.say(ANNA, "/cancel", language_code="it")
    assert reply["text"] == "Non c'è niente da annullare."


async def test_unknown_text_commands_and_stickers_get_a_hint(harness: BotHarness) -> None:
    [command] = await harness.say(JOHN, "/teleport now", language_code="en")
    [text] = await harness.say(JOHN, "blah blah", language_code="en")
    harness.emulator.user_sends_sticker(JOHN, language_code="en")
    await harness.process()
    sticker = harness.emulator.last_bot_message(JOHN)
    assert command["text"] == "I don't know the command /teleport. Send /help to see what I can do."
    assert "/help" in text["text"]
    assert "/help" in sticker["text"]
    assert sticker["message_id"] != text["message_id"]


async def test_every_command_in_the_menu_has_an_answer(harness: BotHarness) -> None:
    for command in COMMANDS:
        replies = await harness.say(JOHN, f"/{command.name}", language_code="en")
        assert replies, f"/{command.name} got no answer"
        # /mydata answers with a document: its caption is the text.
        answer = replies[0].get("text") or replies[0].get("caption", "")
        assert "I don't know the command" not in answer


async def test_group_chats_only_get_an_invitation_to_a_private_chat(harness: BotHarness) -> None:
    group = -100500
    harness.emulator.user_sends_text(ANNA, "/start", chat_id=group, chat_type="group")
    harness.emulator.user_sends_text(ANNA, "hello everyone", chat_id=group, chat_type="group")
    await harness.process()
    [invitation] = harness.emulator.bot_messages(group)
    assert "private" in invitation["text"] or "privat" in invitation["text"]
    button = invitation["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"].startswith("https://t.me/")


async def test_commands_are_registered_per_language(harness: BotHarness) -> None:
    i18n = harness.dispatcher["i18n"]
    await register_commands(harness.bot, i18n, set(), {ADMIN})
    for locale in SUPPORTED_LOCALES:
        names = [c["command"] for c in harness.emulator.commands("default", locale)]
        # staff commands only in staff chats, each under its name in the menu's language
        assert names == [local_name(c.name, locale) for c in commands_for()]
    italian = {c["command"]: c["description"] for c in harness.emulator.commands("default", "it")}
    assert italian["lingua"] == "Cambia lingua"


async def test_a_telegram_error_while_answering_gets_an_apology(harness: BotHarness) -> None:
    # Three 5xx in a row exhaust the retries of an answer; the apology gets through.
    harness.emulator.fail_next("sendMessage", 500, "Internal Server Error", times=3)
    [apology] = await harness.say(ANNA, "/help", language_code="it")
    assert apology["text"].startswith("Scusa, qualcosa non ha funzionato")


ADMIN = 9001
assert TelegramAPIError  # the apology covers Telegram errors raised inside handlers
