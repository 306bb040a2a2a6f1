"""The hub finder end to end: the bot polls the emulator over HTTP and answers locations."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
import yaml
from sqlalchemy import MetaData, select

from bot.services.catalog.importing import import_catalog_text
from bot.services.catalog.sample import sample_catalog_text
from bot.services.hubs.finder import haversine_m
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import LiveBot, button_labels

CITIZEN = 301  # a first location is followed by the one question of the home quartiere
LINE = re.compile(r"^(\d+)\. (.+?)(?: – ([\d.,]+ k?m))?$", re.M)


def listed(message: dict[str, Any]) -> list[str]:
    return [match.group(2) for match in LINE.finditer(message["text"])]


def plain(text: str) -> str:
    """Babel separates times and units with no-break spaces; tests compare plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def block(message: dict[str, Any], name: str) -> str:
    """The lines of one hub in a list message."""
    text = plain(message["text"])
    start = text.index(name)
    end = text.find("\n\n", start)
    return text[start : end if end != -1 else None]


@pytest.fixture
async def sample_city(live_bot: LiveBot) -> list[dict[str, Any]]:
    text = sample_catalog_text(date(2026, 12, 1))
    await import_catalog_text(live_bot.sessions, text, "sample", timezone=ROME, now=TEST_NOW)
    return list(yaml.safe_load(text)["hubs"])


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (44.6983, 10.6312),  # historic centre
        (44.7214, 10.6119),  # Cavazzoli, north
        (44.6560, 10.6560),  # Fogliano, south-east
        (44.6867, 10.5870),  # west
        (44.7000, 10.6800),  # east
        (44.6700, 10.6400),  # Buco del Signore
    ],
)
async def test_nearest_hubs_come_closest_first_by_great_circle_distance(
    live_bot: LiveBot, sample_city: list[dict[str, Any]], lat: float, lon: float
) -> None:
    answer, _asked = await live_bot.send_location(CITIZEN, lat, lon, language_code="en")
    by_distance = sorted(sample_city, key=lambda hub: haversine_m(lat, lon, hub["lat"], hub["lon"]))
    assert listed(answer) == [hub["name"] for hub in by_distance[:5]]
    nearest = by_distance[0]
    metres = haversine_m(lat, lon, nearest["lat"], nearest["lon"])
    shown = LINE.search(answer["text"])
    assert shown is not None and shown.group(3) is not None
    if metres < 1000:
        assert shown.group(3) == f"{round(metres / 10) * 10:,} m"
    else:
        assert shown.group(3) == f"{metres / 1000:.1f} km"


async def test_open_now_and_todays_hours_in_english(live_bot: LiveBot, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    answer, _asked = await live_bot.send_location(CITIZEN, 44.6983, 10.6312, language_code="en")
    assert "🟢 Open now · today: open 24 hours" in block(answer, "Punto Wi-Fi Centro")
    orologio = block(answer, "Casa di quartiere Orologio")
    assert "🟢 Open now · today: 09:00–12:30, 15:00–19:00" in orologio
    assert "Help with SPID, Social concierge" in orologio
    # A closed hub says when it opens again, in human terms.
    assert "🔴 Closed now · opens tomorrow at 9:00" in block(
        answer, "Casa di quartiere Rosta Nuova"
    )
    assert "🔴 Closed now · opens today at 14:00, in " in block(answer, "Buco Magico")


async def test_open_now_in_italian(live_bot: LiveBot, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    answer, _asked = await live_bot.send_location(CITIZEN, 44.6983, 10.6312, language_code="it")
    assert answer["text"].startswith("Le Case di quartiere più vicine")
    assert "🟢 Aperto ora · oggi: aperto 24 ore su 24" in block(answer, "Punto Wi-Fi Centro")
    assert "oggi: 09:00–12:30, 15:00–19:00" in block(answer, "Casa di quartiere Orologio")
    assert "🔴 Chiuso ora · riapre domani alle 9:00" in block(
        answer, "Casa di quartiere Rosta Nuova"
    )


async def test_a_public_holiday_with_ph_off_is_reported_closed(
    live_bot: LiveBot, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    live_bot.clock.set(datetime(2026, 12, 8, 10, 30, tzinfo=ROME))  # Immacolata, a Tuesday
    answer, _asked = await live_bot.send_location(CITIZEN, 44.6983, 10.6312, language_code="en")
    assert "🔴 Closed now · opens tomorrow at 9:00" in block(answer, "Casa di quartiere Orologio")
    assert "🔴 Closed now · opens tomorrow at " in block(answer, "Casa di quartiere Ospizio")
    assert "🟢 Open now" in block(answer, "Punto Wi-Fi Centro")


async def test_a_hubs_card_has_its_details_and_map_pin(live_bot: LiveBot, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    answer, _asked = await live_bot.send_location(CITIZEN, 44.6975, 10.6090, language_code="en")
    assert listed(answer)[0] == "Casa di quartiere Orologio"
    _, new = await live_bot.press(CITIZEN, answer, "ℹ️ Casa di quartiere Orologio")
    assert new == []  # the list became the card
    card = live_bot.emulator.message(CITIZEN, answer["message_id"])
    assert card is not None
    text = plain(card["text"])
    assert "Via Example 1, Reggio Emilia" in text
    assert "Phone: +39 0522 000001" in text and "Email: orologio@example.org" in text
    assert "Wednesday 2 Dec: 09:00–12:30, 15:00–19:00" in text
    assert "Saturday 5 Dec: 09:00–12:00" in text
    assert "Sunday 6 Dec: closed" in text
    assert "Tuesday 8 Dec: closed" in text  # a public holiday
    before = len(live_bot.emulator.calls_to("sendVenue"))
    reply, [venue] = await live_bot.press(CITIZEN, card, "📍 Map")
    assert reply is not None
    assert venue["venue"]["title"] == "Casa di quartiere Orologio"
    assert venue["venue"]["location"]["latitude"] == pytest.approx(44.6975)
    assert len(live_bot.emulator.calls_to("sendVenue")) == before + 1


async def test_service_filter_lists_nearest_first_after_a_location(
    live_bot: LiveBot, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    answer, _asked = await live_bot.send_location(CITIZEN, 44.7000, 10.6550, language_code="en")
    await live_bot.press(CITIZEN, answer, "🧰 By service")
    services = live_bot.emulator.message(CITIZEN, answer["message_id"])
    assert services is not None and "Parcel pick-up" in button_labels(services)
    await live_bot.press(CITIZEN, services, "Parcel pick-up")
    found = live_bot.emulator.message(CITIZEN, answer["message_id"])
    assert found is not None and found["text"].startswith("Where to find: Parcel pick-up")
    assert listed(found) == ["Casa di quartiere Buco Magico", "Casa di quartiere Ospizio"]


async def test_service_filter_without_a_location_is_alphabetical(
    live_bot: LiveBot, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    [intro] = await live_bot.say(CITIZEN, "/hubs", language_code="en")
    assert "location" in intro["text"]
    keyboard = live_bot.emulator.reply_keyboard(CITIZEN)
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_location"] is True
    [services] = await live_bot.say(CITIZEN, "🧰 By service", language_code="en")
    await live_bot.press(CITIZEN, services, "Social concierge")
    found = live_bot.emulator.message(CITIZEN, services["message_id"])
    assert found is not None and listed(found) == [
        "Casa di quartiere Fogliano",
        "Casa di quartiere Orologio",
        "Casa di quartiere Ospizio",
    ]
    assert " – " not in found["text"].split("\n")[2]  # no distance without a location


async def test_choosing_a_quartiere_lists_its_hubs(live_bot: LiveBot, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    await live_bot.say(CITIZEN, "/hubs", language_code="it")
    [quartieri] = await live_bot.say(CITIZEN, "🏘 Per quartiere", language_code="it")
    _, new = await live_bot.press(CITIZEN, quartieri, "Ospizio")
    assert new == []  # the choice became the list

    def shown() -> dict[str, Any]:
        message = live_bot.emulator.message(CITIZEN, quartieri["message_id"])
        assert message is not None
        return message

    ospizio = shown()
    assert ospizio["text"].startswith("Case di quartiere nel quartiere Ospizio")
    assert listed(ospizio) == ["Casa di quartiere Buco Magico", "Casa di quartiere Ospizio"]
    await live_bot.say(CITIZEN, "/hubs", language_code="it")
    [quartieri] = await live_bot.say(CITIZEN, "🏘 Per quartiere", language_code="it")
    await live_bot.press(CITIZEN, quartieri, "Cavazzoli")
    cavazzoli = shown()
    assert cavazzoli["text"].startswith("Nel quartiere Cavazzoli non c'è una Casa di quartiere")
    assert listed(cavazzoli)[0] == "Casa di quartiere Orologio"


async def test_a_location_far_from_every_hub_gets_a_helpful_answer(
    live_bot: LiveBot, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    answer, _asked = await live_bot.send_location(CITIZEN, 45.4642, 9.1900, language_code="en")
    assert answer["text"].startswith("You seem to be far from the city")
    assert "km away" in answer["text"]
    assert len(listed(answer)) == 5
    assert "🏘 By quartiere" in button_labels(answer)


async def test_a_location_is_never_stored(live_bot: LiveBot, load_catalog) -> None:
    await load_catalog("hubs.yaml")
    await live_bot.send_location(CITIZEN, 44.712345, 10.654321, language_code="en")
    metadata = MetaData()
    async with live_bot.sessions() as session:
        connection = await session.connection()
        await connection.run_sync(metadata.reflect)
        for table in metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                dumped = repr(tuple(row))
                assert "44.7123" not in dumped and "10.6543" not in dumped, table.name
