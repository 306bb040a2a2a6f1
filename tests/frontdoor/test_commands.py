"""Command names in the user's language: Italian ones in Italian menus, English ones for all."""

from __future__ import annotations

from bot.services.people import users
from handlers.basics.menu import commands_for, register_commands
from handlers.shared.commands import ITALIAN
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness
from tests.support.programme import SARA, TUTOR, Programme

ANNA, JOHN = 301, 302


def _names(commands: list[dict[str, str]]) -> list[str]:
    return [command["command"] for command in commands]


async def test_the_italian_names_do_what_the_english_ones_do(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    for italian, english in (
        ("/case", "/hubs"),
        ("/eventi", "/events"),
        ("/volontariato", "/volunteer"),
        ("/turni", "/shifts"),
        ("/mieore", "/myhours"),
        ("/impostazioni", "/settings"),
        ("/lingua", "/language"),
        ("/aiuto", "/help"),
        ("/annulla", "/cancel"),
    ):
        by_italian = await harness.say(ANNA, italian, language_code="it")
        by_english = await harness.say(ANNA, english, language_code="it")
        assert by_italian, italian
        assert [m.get("text") for m in by_italian] == [m.get("text") for m in by_english]
    # An English speaker may use the Italian names too, and an Italian one the English.
    [hours] = await harness.say(JOHN, "/ore 2h", language_code="en")
    assert "I don't know the command" not in hours["text"]


async def test_menus_name_the_commands_in_each_language(harness: BotHarness) -> None:
    for user in (TUTOR, ADMIN_ID):
        harness.emulator.register_user(user, language_code="it")
    await register_commands(harness.bot, harness.dispatcher["i18n"], {TUTOR}, {ADMIN_ID})
    italian = _names(harness.emulator.commands("default", "it"))
    english = _names(harness.emulator.commands("default", "en"))
    assert english == [c.name for c in commands_for()]
    assert {"case", "eventi", "volontariato", "turni", "ore", "mieore", "impostazioni"} <= set(
        italian
    )
    assert {"lingua", "annulla", "start", "privacy"} <= set(italian)
    assert not set(italian) & {"hubs", "events", "volunteer", "approva"}
    tutor = _names(harness.emulator.visible_commands(TUTOR))
    assert {"approva", "resoconto"} <= set(tutor)
    assert "annuncio" not in tutor
    assert all(name.isascii() and name == name.lower() for name in ITALIAN.values())


async def test_choosing_a_language_changes_the_chats_menu(harness: BotHarness) -> None:
    await register_commands(harness.bot, harness.dispatcher["i18n"], set(), {ADMIN_ID})
    [question] = await harness.say(ANNA, "/lingua", language_code="it")
    assert "eventi" in _names(harness.emulator.visible_commands(ANNA))
    await harness.press(ANNA, question, "🇬🇧 English")
    menu = harness.emulator.visible_commands(ANNA)
    assert _names(menu) == [c.name for c in commands_for()]
    assert {c["command"]: c["description"] for c in menu}["language"] == "Change language"
    [question] = await harness.say(ANNA, "/language", language_code="it")
    await harness.press(ANNA, question, "🇮🇹 Italiano")
    assert "eventi" in _names(harness.emulator.visible_commands(ANNA))


async def test_a_staff_members_chosen_language_outlasts_a_restart(
    harness: BotHarness, programme: Programme
) -> None:
    harness.emulator.register_user(TUTOR, language_code="it")
    i18n = harness.dispatcher["i18n"]
    await register_commands(harness.bot, i18n, {TUTOR}, {ADMIN_ID})
    assert "approva" in _names(harness.emulator.visible_commands(TUTOR))
    [question] = await harness.say(TUTOR, "/lingua", language_code="it")
    await harness.press(TUTOR, question, "🇬🇧 English")
    assert "approve" in _names(harness.emulator.visible_commands(TUTOR))
    async with harness.sessions() as session:  # as the bot does at start-up
        chosen = await users.chosen_languages(session, {TUTOR, ADMIN_ID})
    await register_commands(harness.bot, i18n, {TUTOR}, {ADMIN_ID}, chosen)
    menu = _names(harness.emulator.visible_commands(TUTOR))
    assert {"approve", "report", "volunteer"} <= set(menu)
    assert "approva" not in menu


async def test_every_command_in_the_italian_menu_has_an_answer(harness: BotHarness) -> None:
    for command in commands_for():
        name = ITALIAN.get(command.name, command.name)
        replies = await harness.say(JOHN, f"/{name}", language_code="it")
        assert replies, f"/{name} got no answer"
        answer = replies[0].get("text") or replies[0].get("caption", "")
        assert "Non conosco il comando" not in answer, name


async def test_staff_commands_answer_under_their_italian_names(
    harness: BotHarness, programme: Programme
) -> None:
    for user, italian, english in (
        (TUTOR, "/approva", "/approve"),
        (TUTOR, "/resoconto", "/report"),
        (ADMIN_ID, "/statistiche", "/stats"),
        (ADMIN_ID, "/annuncio", "/broadcast"),
    ):
        by_italian = await harness.say(user, italian, language_code="it")
        by_english = await harness.say(user, english, language_code="it")
        assert [m.get("text") for m in by_italian] == [m.get("text") for m in by_english]
    [refused] = await harness.say(SARA, "/annuncio", language_code="en")
    assert "admin" in refused["text"].lower()
