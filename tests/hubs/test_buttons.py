"""The hub finder's buttons: /hubs in one bubble, a button per hub named after it, its card
opened in place with the map and a way back, and choices that edit their own message."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.harness import BotHarness, button_labels

CITIZEN = 311
CENTRE = (44.6975, 10.6090)

pytestmark = pytest.mark.usefixtures("hubs_catalog")


@pytest.fixture
async def hubs_catalog(load_catalog: Any) -> None:
    await load_catalog("hubs.yaml")


def now_showing(harness: BotHarness, message: dict[str, Any]) -> dict[str, Any]:
    current = harness.emulator.message(CITIZEN, message["message_id"])
    assert current is not None
    return current


async def test_hubs_answers_in_one_bubble_with_every_way_to_choose(harness: BotHarness) -> None:
    [answer] = await harness.say(CITIZEN, "/hubs", language_code="en")
    assert "Send your location" in answer["text"]
    shown = harness.emulator.reply_keyboard(CITIZEN)
    assert shown is not None and "inline_keyboard" not in answer.get("reply_markup", {})
    keyboard = shown["keyboard"]
    assert keyboard[0][0] == {"text": "📍 Send my location", "request_location": True}
    assert [button["text"] for button in keyboard[1]] == ["🏘 By quartiere", "🧰 By service"]
    [choice] = await harness.say(CITIZEN, "🏘 By quartiere", language_code="en")
    assert choice["text"] == "Which quartiere?" and "Ospizio" in button_labels(choice)


async def test_a_list_names_each_hub_and_its_button_opens_the_card_in_place(
    harness: BotHarness,
) -> None:
    listing, *_asked = await harness.send_location(CITIZEN, *CENTRE, language_code="en")
    hub_buttons = [label for label in button_labels(listing) if label.startswith("ℹ️ ")]
    assert len(hub_buttons) == listing["text"].count("\n\n")  # one per listed hub
    assert hub_buttons[0] == "ℹ️ Casa di quartiere Orologio"
    assert "ℹ️ Casa di quartiere Rosta Nu…" in hub_buttons  # cut to fit a phone
    assert not any(label.startswith("📍 ") for label in button_labels(listing))

    _, new = await harness.press(CITIZEN, listing, "ℹ️ Casa di quartiere Orologio")
    assert new == []
    card = now_showing(harness, listing)
    assert card["text"].startswith("Casa di quartiere Orologio\nVia Example 1")
    assert button_labels(card) == ["📍 Map", "◀️ Back to the list"]
    _, [pin] = await harness.press(CITIZEN, card, "📍 Map")
    assert pin["venue"]["title"] == "Casa di quartiere Orologio"

    _, new = await harness.press(CITIZEN, card, "◀️ Back to the list")
    assert new == []
    back = now_showing(harness, listing)
    assert back["text"] == listing["text"]
    assert button_labels(back) == button_labels(listing)


async def test_the_quartiere_choice_and_its_list_edit_the_same_message_in_italian(
    harness: BotHarness,
) -> None:
    listing, *asked = await harness.send_location(CITIZEN, *CENTRE, language_code="it")
    _, new = await harness.press(CITIZEN, listing, "🏘 Per quartiere")
    assert new == []
    choice = now_showing(harness, listing)
    assert choice["text"] == "Quale quartiere?"
    await harness.press(CITIZEN, choice, "Ospizio")
    ospizio = now_showing(harness, listing)
    assert ospizio["text"].startswith("Case di quartiere nel quartiere Ospizio")
    assert "ℹ️ Casa di quartiere Ospizio" in button_labels(ospizio)
    await harness.press(CITIZEN, ospizio, "ℹ️ Casa di quartiere Ospizio")
    card = now_showing(harness, listing)
    assert button_labels(card) == ["📍 Mappa", "◀️ Torna all'elenco"]
    await harness.press(CITIZEN, card, "◀️ Torna all'elenco")
    assert now_showing(harness, listing)["text"] == ospizio["text"]
    assert harness.emulator.bot_message_count(CITIZEN) == 1 + len(asked)  # one bubble


async def test_the_service_choice_edits_in_place_and_its_card_goes_back_to_it(
    harness: BotHarness,
) -> None:
    listing, *asked = await harness.send_location(CITIZEN, *CENTRE, language_code="en")
    await harness.press(CITIZEN, listing, "🧰 By service")
    await harness.press(CITIZEN, now_showing(harness, listing), "Parcel pick-up")
    found = now_showing(harness, listing)
    assert found["text"].startswith("Where to find: Parcel pick-up")
    first = next(label for label in button_labels(found) if label.startswith("ℹ️ "))
    await harness.press(CITIZEN, found, first)
    await harness.press(CITIZEN, now_showing(harness, listing), "◀️ Back to the list")
    assert now_showing(harness, listing)["text"] == found["text"]
    assert harness.emulator.bot_message_count(CITIZEN) == 1 + len(asked)
