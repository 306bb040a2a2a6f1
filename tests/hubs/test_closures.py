"""A hub closed by a catalog closure: the finder says until when, when it reopens, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.services.catalog.importing import import_catalog_text
from tests.support.fixtures import ROME
from tests.support.harness import BotHarness

CITIZEN = 321
CATALOG = """\
hubs:
  - code: casa-orologio
    name: Casa di quartiere Orologio
    address: Via Example 1, Reggio Emilia
    quartiere: Orologio
    lat: 44.6975
    lon: 10.6090
    opening_hours: "Mo-Fr 09:00-12:30,15:00-19:00; Sa 09:00-12:00; PH off"
    closures:
      - from: 2026-12-24
        to: 2027-01-06
        note: {it: Ferie natalizie, en: Christmas break}
  - code: wifi-centro
    name: Punto Wi-Fi Centro
    address: Piazza Example 3, Reggio Emilia
    quartiere: Centro storico
    lat: 44.6983
    lon: 10.6312
    opening_hours: "24/7"
    closures:
      - {from: 2026-12-28, to: 2026-12-28}
  - code: casa-rosta
    name: Casa di quartiere Rosta Nuova
    address: Via Example 4, Reggio Emilia
    quartiere: Rosta Nuova
    lat: 44.6866
    lon: 10.6385
    opening_hours: "Mo-Fr 14:00-19:00"
    closures:
      - {from: 2026-12-21, to: 2026-12-30}
      - {from: 2026-12-31, to: 2027-01-05, note: Inventario}
"""
MONDAY_28_DECEMBER = datetime(2026, 12, 28, 10, 30, tzinfo=ROME)


def block(messages: list[dict[str, Any]], name: str) -> str:
    """The lines of one hub in the list of nearest hubs."""
    text = messages[0]["text"].replace("\u202f", " ").replace("\xa0", " ")
    start = text.index(name)
    end = text.find("\n\n", start)
    return text[start : end if end != -1 else None]


async def nearest(harness: BotHarness, language: str) -> list[dict[str, Any]]:
    await import_catalog_text(
        harness.sessions, CATALOG, "hubs.yaml", timezone=ROME, now=MONDAY_28_DECEMBER
    )
    harness.clock.set(MONDAY_28_DECEMBER)
    return await harness.send_location(CITIZEN, 44.6983, 10.6312, language_code=language)


async def test_a_closed_hub_says_until_when_when_it_reopens_and_why(harness: BotHarness) -> None:
    answer = await nearest(harness, "en")

    assert (
        "🔴 Closed until Wednesday 6 January · reopens on Thursday 7 January at 9:00 "
        "· Christmas break"
    ) in block(answer, "Casa di quartiere Orologio")


async def test_the_same_in_italian(harness: BotHarness) -> None:
    answer = await nearest(harness, "it")

    assert (
        "🔴 Chiuso fino a mercoledì 6 gennaio · riapre giovedì 7 gennaio alle 9:00 "
        "· Ferie natalizie"
    ) in block(answer, "Casa di quartiere Orologio")


async def test_open_now_never_counts_a_closed_day(harness: BotHarness) -> None:
    answer = await nearest(harness, "en")

    wifi = block(answer, "Punto Wi-Fi Centro")
    assert "🟢 Open now" not in wifi
    assert "🔴 Closed until Monday 28 December · reopens tomorrow at 0:00" in wifi


async def test_back_to_back_closures_join_and_the_reopening_skips_a_public_holiday(
    harness: BotHarness,
) -> None:
    answer = await nearest(harness, "en")

    # Closed to 5 January; 6 January is Epiphany, even for hours that do not mention PH.
    assert ("🔴 Closed until Tuesday 5 January · reopens on Thursday 7 January at 14:00") in block(
        answer, "Casa di quartiere Rosta Nuova"
    )


async def test_the_week_shows_closure_days_closed(harness: BotHarness) -> None:
    answer = await nearest(harness, "en")
    assert "\n1. Punto Wi-Fi Centro" in answer[0]["text"]  # the nearest, behind button 1

    await harness.press(CITIZEN, answer[0], "ℹ️ Punto Wi-Fi Centro")
    details = harness.emulator.message(CITIZEN, answer[0]["message_id"])  # opened in place
    assert details is not None

    assert "Monday 28 Dec: closed" in details["text"]
    assert "Tuesday 29 Dec: open 24 hours" in details["text"]
