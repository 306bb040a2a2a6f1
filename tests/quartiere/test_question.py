"""The home quartiere, asked once after a first location or a first place on a shift."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.announcements import compose as announcements
from bot.services.catalog.importing import import_catalog_text
from bot.services.volunteering import register
from storage.models import User
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW
from tests.support.harness import BotHarness, LiveBot, button_labels

CITIZEN, VOLUNTEER = 311, 312
NEAR_OROLOGIO = (44.6975, 10.6090)
QUESTION = "Which quartiere do you live in?"


async def _home(sessions: async_sessionmaker[AsyncSession], telegram_id: int) -> User:
    async with sessions() as session:
        user = await session.get(User, telegram_id)
    assert user is not None
    return user


async def _enrol(sessions: async_sessionmaker[AsyncSession], telegram_id: int) -> None:
    form = register.Form(
        full_name="Anna Rossi",
        birth_date=date(1990, 5, 17),
        phone="+39 333 1234567",
        resident=True,
        consent=True,
    )
    async with sessions() as session:
        await register.join_register(
            session, telegram_id, form, now=TEST_NOW, today=TEST_NOW.date()
        )


async def _sign_up(bot: BotHarness, user: int, join: str) -> list[dict[str, Any]]:
    [listing] = await bot.say(user, "/volunteer", language_code="en")
    await bot.press(user, listing, "ℹ️ Shared gardens")  # the card opens in place
    card = bot.emulator.message(user, listing["message_id"])
    assert card is not None
    _, replies = await bot.press(user, card, join)
    return replies


async def test_asked_after_the_first_location_with_its_quartiere_first_and_not_again(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    hubs, question = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    assert hubs["text"].startswith("The nearest Case di quartiere")
    assert question["text"].startswith(QUESTION)
    labels = button_labels(question)
    # The quartiere of the nearest hub first, then the catalog's by name, and a way out.
    assert labels == [
        "📍 Orologio",
        "Cavazzoli",
        "Centro storico",
        "Ospizio",
        "Rosta Nuova",
        "Skip",
    ]
    [again] = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    assert again["text"].startswith("The nearest Case di quartiere")


async def test_the_question_in_italian_offers_salta(harness: BotHarness, load_catalog: Any) -> None:
    await load_catalog("hubs.yaml")
    _, question = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="it")
    assert question["text"] == "In quale quartiere abiti? Serve per gli avvisi del tuo quartiere."
    assert button_labels(question)[-1] == "Salta"


async def test_asked_after_the_first_sign_up_when_not_asked_before(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    await load_catalog("projects.yaml")
    await _enrol(harness.sessions, VOLUNTEER)
    place, question = await _sign_up(harness, VOLUNTEER, "Join: Sat 5 Dec, 09:00–12:00")
    assert "Your place is confirmed." in place["text"]
    assert question["text"].startswith(QUESTION)
    assert button_labels(question)[0] == "Cavazzoli"  # nothing to guess from without a location
    [later] = await _sign_up(harness, VOLUNTEER, "Join: Sun 6 Dec, 09:00–12:00")
    assert "Your place is confirmed." in later["text"]
    # Asked at the sign-up: a first location does not ask again.
    [hubs] = await harness.send_location(VOLUNTEER, *NEAR_OROLOGIO, language_code="en")
    assert hubs["text"].startswith("The nearest Case di quartiere")


async def test_not_asked_after_a_sign_up_when_asked_after_a_location(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    await load_catalog("projects.yaml")
    await _enrol(harness.sessions, VOLUNTEER)
    await harness.send_location(VOLUNTEER, *NEAR_OROLOGIO, language_code="en")
    [place] = await _sign_up(harness, VOLUNTEER, "Join: Sat 5 Dec, 09:00–12:00")
    assert "Your place is confirmed." in place["text"]


async def test_skipping_stores_nothing_and_it_is_never_asked_again(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    _, question = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    answer, new = await harness.press(CITIZEN, question, "Skip")
    assert answer is not None and new == []
    [skipped] = harness.emulator.bot_messages(CITIZEN)[-1:]
    assert (
        skipped["text"] == "All right, no quartiere saved. You can choose one later in /settings."
    )
    assert "reply_markup" not in skipped
    assert (await _home(harness.sessions, CITIZEN)).home_quartiere_id is None
    [hubs] = await harness.send_location(CITIZEN, 44.6925, 10.6500, language_code="en")
    assert hubs["text"].startswith("The nearest Case di quartiere")
    [settings] = await harness.say(CITIZEN, "/settings", language_code="en")
    assert "Home quartiere: none" in settings["text"]


async def test_a_person_with_a_home_quartiere_is_not_asked(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    [settings] = await harness.say(CITIZEN, "/settings", language_code="en")
    await harness.press(CITIZEN, settings, "Home quartiere")  # the picker opens in place
    choices = harness.emulator.message(CITIZEN, settings["message_id"])
    assert choices is not None
    await harness.press(CITIZEN, choices, "Ospizio")
    [hubs] = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    assert hubs["text"].startswith("The nearest Case di quartiere")


async def test_a_long_catalog_is_paged_and_keeps_the_guess_first(harness: BotHarness) -> None:
    names = [f"Quartiere {n:02}" for n in range(1, 13)]
    catalog = "quartieri:\n" + "".join(
        f"  - {{code: q{n}, name: {name}, lat: 44.{70 + n}, lon: 10.6}}\n"
        for n, name in enumerate(names)
    )
    catalog += (
        "hubs:\n  - {code: casa, name: Casa, address: Via 1, quartiere: Quartiere 12,"
        " lat: 44.7, lon: 10.6, opening_hours: 'Mo-Fr 09:00-18:00'}\n"
    )
    await import_catalog_text(harness.sessions, catalog, "long.yaml", timezone=ROME, now=TEST_NOW)
    _, question = await harness.send_location(CITIZEN, 44.7, 10.6, language_code="en")
    first_page = button_labels(question)
    assert first_page[0] == "📍 Quartiere 12" and first_page[-2:] == ["▶️", "Skip"]
    assert len(first_page) == 12  # ten quartieri, ▶️ and Skip
    _, _new = await harness.press(CITIZEN, question, "▶️")
    [turned] = harness.emulator.bot_messages(CITIZEN)[-1:]
    assert button_labels(turned) == ["Quartiere 10", "Quartiere 11", "◀️", "Skip"]
    await harness.press(CITIZEN, turned, "Quartiere 11")
    [settings] = await harness.say(CITIZEN, "/settings", language_code="en")
    assert "Home quartiere: Quartiere 11" in settings["text"]


async def test_choosing_stores_it_and_a_quartiere_announcement_then_arrives(
    live_bot: LiveBot, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    _, question = await live_bot.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    answer, _new = await live_bot.press(CITIZEN, question, "📍 Orologio")
    assert answer is not None
    [chosen] = live_bot.emulator.bot_messages(CITIZEN)[-1:]
    assert chosen["text"] == (
        "Done: your quartiere is Orologio. You can change it at any time in /settings."
    )
    [settings] = await live_bot.say(CITIZEN, "/settings", language_code="en")
    assert "Home quartiere: Orologio" in settings["text"]
    seen = live_bot.emulator.bot_message_count(CITIZEN)
    async with live_bot.sessions() as session:
        progress = await announcements.announce(
            session,
            announcements.Draft(text="Street party on Saturday", audience="quartiere:orologio"),
            actor=ADMIN_ID,
            admin_ids=live_bot.settings.admin_ids,
            now=live_bot.clock.now(),
            default_locale=live_bot.settings.default_locale,
        )
    news = await live_bot.emulator.wait_for_bot_message(CITIZEN, after=seen, timeout=20)
    assert news["text"] == "Street party on Saturday"
    assert progress.recipients == 1


async def test_mydata_shows_when_it_was_asked_and_forget_erases_it(
    harness: BotHarness, load_catalog: Any
) -> None:
    await load_catalog("hubs.yaml")
    _, question = await harness.send_location(CITIZEN, *NEAR_OROLOGIO, language_code="en")
    await harness.press(CITIZEN, question, "📍 Orologio")
    [reply] = await harness.say(CITIZEN, "/mydata", language_code="en")
    document = json.loads(harness.emulator.file(reply["document"]["file_id"]).data)
    profile = document["profile"]
    assert datetime.fromisoformat(profile["home_quartiere_asked_at"]) == TEST_NOW
    assert (
        profile["home_quartiere_id"] == (await _home(harness.sessions, CITIZEN)).home_quartiere_id
    )
    [confirm] = await harness.say(CITIZEN, "/forget", language_code="en")
    await harness.press(CITIZEN, confirm, "Yes, erase my data")
    async with harness.sessions() as session:
        assert await session.get(User, CITIZEN) is None
