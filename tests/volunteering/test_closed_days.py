"""A shift on a day its hub is closed: not offered, and a sign-up for it is refused."""

from __future__ import annotations

from typing import Any

from bot.services.catalog.importing import import_catalog_text
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import BotHarness, button_labels
from tests.volunteering.register import Register

VOLUNTEER = 4242
CLOSED_ON_SATURDAY = """\
hubs:
  - code: casa-test
    name: Casa di quartiere Test
    address: Via Example 9, Reggio Emilia
    quartiere: Ospizio
    lat: 44.6925
    lon: 10.6500
    opening_hours: "Mo-Fr 09:00-18:00"
    closures:
      - {from: 2026-12-05, to: 2026-12-05, note: Disinfestazione}
"""


async def gardens_card(harness: BotHarness) -> dict[str, Any]:
    [projects] = await harness.say(VOLUNTEER, "/volunteer", language_code="en")
    await harness.press(VOLUNTEER, projects, "ℹ️ Shared gardens")  # its card, in place
    card = harness.emulator.message(VOLUNTEER, projects["message_id"])
    assert card is not None
    return card


def joins(card: dict[str, Any]) -> list[str]:
    return [label for label in button_labels(card) if label.startswith("Join: ")]


async def test_a_sign_up_on_a_closed_day_is_refused_and_the_shift_no_longer_offered(
    harness: BotHarness, load_catalog, enrol: Register
) -> None:
    await load_catalog("projects.yaml")
    await enrol(VOLUNTEER)
    card = await gardens_card(harness)
    saturday = joins(card)[0]
    assert len(joins(card)) == 3  # two on Saturday, one on Sunday

    await import_catalog_text(
        harness.sessions, CLOSED_ON_SATURDAY, "closures.yaml", timezone=ROME, now=TEST_NOW
    )
    _, [refusal] = await harness.press(VOLUNTEER, card, saturday)

    assert refusal["text"] == (
        "The hub is closed on the day of this shift, so it takes no sign-ups. "
        "Choose another shift with /volunteer."
    )
    assert len(joins(await gardens_card(harness))) == 1  # Sunday's only
