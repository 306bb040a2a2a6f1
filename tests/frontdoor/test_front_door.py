"""The front door: /start's buttons for each person, and each button doing what it says."""

from __future__ import annotations

from typing import Any

from tests.frontdoor.doors import CITIZEN_DOOR
from tests.support.fixtures import ADMIN_ID, TEST_NOW
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import MARIA, PIERO, SARA, TUTOR, Programme


async def _start(harness: BotHarness, user: int, locale: str = "en") -> dict[str, Any]:
    [reply] = await harness.say(user, "/start", language_code=locale, first_name="Anna")
    return reply


async def test_start_greets_in_two_lines_with_the_citizens_door(harness: BotHarness) -> None:
    english = await _start(harness, PIERO)
    italian = await _start(harness, PIERO + 1, "it")
    assert len(english["text"].splitlines()) == 2
    assert english["text"].startswith("Hello Anna!")
    assert "/privacy" in english["text"]
    assert button_labels(english) == CITIZEN_DOOR
    assert button_labels(italian) == [
        "📍 Casa più vicina",
        "🧰 Trova un servizio",
        "📅 Eventi",
        "🙋 Volontariato",
        "⚙️ Impostazioni",
    ]


async def test_a_volunteer_sees_their_shifts_or_their_hours(
    harness: BotHarness, programme: Programme
) -> None:
    harness.clock.set(TEST_NOW)  # Maria's Saturday shift is still ahead
    with_place = button_labels(await _start(harness, MARIA))
    without_place = button_labels(await _start(harness, SARA))
    assert with_place == [*CITIZEN_DOOR[:4], "🗓 My shifts", "⚙️ Settings"]
    assert without_place == [*CITIZEN_DOOR[:4], "⏱ My hours", "⚙️ Settings"]


async def test_staff_see_their_own_row(harness: BotHarness, programme: Programme) -> None:
    tutor = button_labels(await _start(harness, TUTOR))
    admin = button_labels(await _start(harness, ADMIN_ID))
    assert tutor == [*CITIZEN_DOOR, "✅ Approve hours", "📊 Report"]
    assert admin == [*CITIZEN_DOOR, "✅ Approve hours", "📊 Report", "📣 Broadcast", "📈 Stats"]


async def _same_as_command(harness: BotHarness, user: int, label: str, command: str) -> None:
    door = await _start(harness, user)
    answer, pressed = await harness.press(user, door, label)
    typed = await harness.say(user, command, language_code="en")
    assert answer is not None and "text" not in answer  # no refusal
    assert [m.get("text") for m in pressed] == [m.get("text") for m in typed], label
    assert [button_labels(m) for m in pressed] == [button_labels(m) for m in typed], label


async def test_each_citizen_button_opens_what_its_command_opens(
    harness: BotHarness, load_catalog
) -> None:
    await load_catalog("hubs.yaml")
    for label, command in (
        ("📍 Nearest hub", "/hubs"),
        ("📅 Events", "/events"),
        ("🙋 Volunteering", "/volunteer"),
        ("⚙️ Settings", "/settings"),
    ):
        await _same_as_command(harness, PIERO, label, command)
    door = await _start(harness, PIERO)
    _, [services] = await harness.press(PIERO, door, "🧰 Find a service")
    assert services["text"] == "Which service do you need?"
    assert "Help with SPID" in button_labels(services)


async def test_the_volunteers_and_staff_buttons_open_their_commands(
    harness: BotHarness, programme: Programme
) -> None:
    await _same_as_command(harness, SARA, "⏱ My hours", "/myhours")
    await _same_as_command(harness, TUTOR, "✅ Approve hours", "/approve")
    await _same_as_command(harness, TUTOR, "📊 Report", "/report")
    await _same_as_command(harness, ADMIN_ID, "📣 Broadcast", "/broadcast")
    harness.clock.set(TEST_NOW)
    await _same_as_command(harness, MARIA, "🗓 My shifts", "/shifts")
