"""Free text outside a conversation: answered as what it asks, in Italian and English."""

from __future__ import annotations

from tests.frontdoor.doors import CITIZEN_DOOR
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import SARA, Programme

ANNA, JOHN = 201, 202
SPID_HUBS = ("Casa di quartiere Orologio", "Casa di quartiere Rosta Nuova")
OTHER_HUBS = ("Ospizio", "Punto Wi-Fi Centro", "Buco Magico", "Fogliano")


async def test_the_spid_question_lists_the_hubs_offering_it(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    [italian] = await harness.say(ANNA, "Dove posso farmi aiutare con lo SPID?", language_code="it")
    [english] = await harness.say(JOHN, "Where can I get help with SPID?", language_code="en")
    assert "Aiuto SPID" in italian["text"]
    assert "Help with SPID" in english["text"]
    for reply in (italian, english):
        for hub in SPID_HUBS:
            assert hub in reply["text"]
        for hub in OTHER_HUBS:
            assert hub not in reply["text"]


async def test_a_synonym_and_a_quartiere_name_list_their_hubs(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    [parcel] = await harness.say(ANNA, "devo ritirare un pacco", language_code="it")
    [quartiere] = await harness.say(JOHN, "hubs in Ospizio?", language_code="en")
    assert "Casa di quartiere Ospizio" in parcel["text"]
    assert "Casa di quartiere Buco Magico" in parcel["text"]
    assert "Orologio" not in parcel["text"]
    assert "Case di quartiere in Ospizio" in quartiere["text"]
    assert "Rosta Nuova" not in quartiere["text"]


async def test_feature_words_answer_like_their_commands(harness: BotHarness, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    for text, command, locale in (
        ("orari?", "/hubs", "it"),
        ("is it open now?", "/hubs", "en"),
        ("ci sono eventi?", "/events", "it"),
        ("I'd like to volunteer", "/volunteer", "en"),
        ("impostazioni", "/settings", "it"),
    ):
        written = await harness.say(JOHN, text, language_code=locale)
        typed = await harness.say(JOHN, command, language_code=locale)
        assert [m["text"] for m in written] == [m["text"] for m in typed], text


async def test_greetings_and_thanks_are_answered_in_kind(harness: BotHarness) -> None:
    [hello] = await harness.say(ANNA, "ciao!", language_code="it", first_name="Anna")
    [thanks] = await harness.say(ANNA, "grazie mille", language_code="it")
    [english] = await harness.say(JOHN, "Hi", language_code="en", first_name="John")
    assert hello["text"].startswith("Ciao Anna!")
    assert len(button_labels(hello)) == 5
    assert thanks["text"].startswith("Figurati!")
    assert english["text"].startswith("Hello John!")
    assert button_labels(english) == CITIZEN_DOOR


async def test_anything_else_gets_the_front_door(harness: BotHarness) -> None:
    [emoji] = await harness.say(JOHN, "👍", language_code="en")
    [words] = await harness.say(JOHN, "the cat is asleep", language_code="en")
    [command] = await harness.say(JOHN, "/teleport", language_code="en")
    harness.emulator.user_sends_sticker(JOHN, language_code="en")
    await harness.process()
    sticker = harness.emulator.last_bot_message(JOHN)
    for reply in (emoji, words, command, sticker):
        assert button_labels(reply) == CITIZEN_DOOR
    assert emoji["text"] == "I didn't understand that. Send /help to see what I can do."


async def test_a_conversation_in_progress_reads_its_own_text(
    harness: BotHarness, programme: Programme
) -> None:
    [outside] = await harness.say(SARA, "events", language_code="en")
    [events] = await harness.say(SARA, "/events", language_code="en")
    [settings] = await harness.say(SARA, "/settings", language_code="en")
    await harness.press(SARA, settings, "📱 My phone number")
    [inside] = await harness.say(SARA, "eventi", language_code="en")
    assert outside["text"] == events["text"]
    assert inside["text"].startswith("That does not look like a phone number.")


async def test_with_a_home_quartiere_the_nearest_hubs_come_first(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    [before] = await harness.say(JOHN, "spid", language_code="en")
    [settings] = await harness.say(JOHN, "/settings", language_code="en")
    await harness.press(JOHN, settings, "Home quartiere")  # the choice replaces the settings
    await harness.press(JOHN, settings, "Rosta Nuova")
    [after] = await harness.say(JOHN, "spid", language_code="en")
    orologio, rosta = "Casa di quartiere Orologio", "Casa di quartiere Rosta Nuova"
    assert before["text"].index(orologio) < before["text"].index(rosta)  # by name
    assert after["text"].index(rosta) < after["text"].index(orologio)  # nearest to home
