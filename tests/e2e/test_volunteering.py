"""Civic volunteering end to end: browse, join the register, take and give up places."""

from __future__ import annotations

import json
from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot.services.catalog.importing import import_catalog_text
from storage.models import RegisterEntry, Volunteer
from tests.e2e.volunteering import open_card, register, start
from tests.support.fixtures import DATA, ROME, TEST_NOW
from tests.support.harness import LiveBot, button_labels

MARIA, LUCA, SARA = 801, 802, 803


@pytest.fixture
async def projects_loaded(live_bot: LiveBot, load_catalog) -> LiveBot:
    await load_catalog("projects.yaml")
    return live_bot


async def volunteers(bot: LiveBot) -> int:
    async with bot.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Volunteer)) or 0)


async def test_projects_are_listed_filtered_by_theme_and_shown_with_free_places(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    [listing] = await bot.say(MARIA, "/volunteer", language_code="en")
    assert "ℹ️ Shared gardens" in button_labels(listing)
    _, _ = await bot.press(MARIA, listing, "🎯 Theme")
    themes = bot.emulator.message(MARIA, listing["message_id"])
    _, _ = await bot.press(MARIA, themes, "Digital")
    digital = bot.emulator.message(MARIA, listing["message_id"])
    assert "Theme: Digital" in digital["text"]
    assert [label for label in button_labels(digital) if "Spid" in label or "gardens" in label] == [
        "ℹ️ Ago, Filo e Spid (digital…"  # cut to fit a phone; the card has the whole title
    ]
    _, new = await bot.press(MARIA, digital, "ℹ️ Ago, Filo e Spid (digital…")
    assert new == []  # the card replaces the page, and goes back to the same filtered page
    spid = bot.emulator.message(MARIA, listing["message_id"])
    assert spid is not None and "Ago, Filo e Spid (digital help)" in spid["text"]
    await bot.press(MARIA, spid, "◀️ Projects")
    again = bot.emulator.message(MARIA, listing["message_id"])
    assert again is not None and again["text"] == digital["text"]
    card = await open_card(bot, MARIA, "Shared gardens")
    assert "We look after the neighbourhood gardens together." in card["text"]
    assert "Where: Casa di quartiere Test" in card["text"]
    assert "Sat 5 Dec, 09:00–12:00 · 10 of 10 places left" in card["text"]
    assert "Sun 6 Dec, 09:00–12:00 · 1 of 1 place left" in card["text"]
    await bot.press(MARIA, card, "◀️ Projects")
    back = bot.emulator.message(MARIA, card["message_id"])
    assert back is not None and back["text"].startswith("Volunteering projects")


async def test_joining_the_register_then_the_shift_in_italian(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Orti condivisi", locale="it")
    _, [residence] = await bot.press(MARIA, card, "Partecipa: sab 5 dic, 09:00–12:00")
    await bot.press(MARIA, residence, "Sì")
    await bot.say(MARIA, "Maria Rossi", language_code="it")
    await bot.say(MARIA, "24 maggio 1980", language_code="it")
    [_, consent] = await bot.say(MARIA, "333 1234567", language_code="it")
    assert "Consenso" in consent["text"]
    _, replies = await bot.press(MARIA, consent, "Acconsento")
    texts = [message["text"] for message in replies]
    done = bot.emulator.message(MARIA, consent["message_id"])["text"]
    assert done.startswith("Iscrizione completata: ora sei nel registro dei volontari.")
    assert any("Il tuo posto è confermato." in text for text in texts)
    async with bot.sessions() as session:
        volunteer = await session.get(Volunteer, MARIA)
        entries = await session.scalar(select(func.count()).select_from(RegisterEntry))
    assert volunteer is not None and volunteer.phone == "3331234567"
    assert volunteer.birth_date == date(1980, 5, 24)
    assert not volunteer.identity_verified and entries == 1


@pytest.mark.parametrize(
    ("step", "answer", "explanation"),
    [
        ("name", "X", "first name and surname"),
        ("name", "R2D2 Droid", "first name and surname"),
        ("name", '  =HYPERLINK("http://x.example","Maria")', "cannot begin with =, + or @"),
        ("name", "+Maria Rossi", "cannot begin with =, + or @"),
        ("name", "@Maria Rossi", "cannot begin with =, + or @"),
        ("birth", "31/02/1990", "does not exist"),
        ("birth", "the first of May", "as day, month and year"),
        ("birth", "01/01/2030", "in the future"),
        ("phone", "call me", "does not look like a phone number"),
    ],
)
async def test_each_bad_answer_is_explained_and_asked_again(
    projects_loaded: LiveBot, step: str, answer: str, explanation: str
) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    await start(bot, LUCA, card)
    good = {"name": "Luca Bianchi", "birth": "01/02/1990"}
    for previous in ("name", "birth", "phone"):
        if previous == step:
            break
        await bot.say(LUCA, good[previous])
    [reply] = await bot.say(LUCA, answer)
    assert explanation in reply["text"]
    [cancelled] = await bot.say(LUCA, "/cancel")
    assert cancelled["text"] == "Cancelled. Nothing was saved."
    assert await volunteers(bot) == 0


async def test_after_a_name_refused_as_a_formula_the_next_name_goes_on(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    await start(bot, LUCA, card)
    [refused] = await bot.say(LUCA, "=1+1 Luca")
    assert refused["text"].startswith("A name cannot begin with =, + or @.")
    [next_question] = await bot.say(LUCA, "Luca Bianchi")
    assert next_question["text"] == "Your date of birth (day/month/year)?"


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("02/12/2011", "a parent's authorisation is needed"),  # 15 today
        ("03/12/2008", "a parent's authorisation is needed"),  # 18 tomorrow
        ("02/12/2008", "You are in the volunteer register."),  # 18 today
        ("03/12/1951", "You are in the volunteer register."),  # 74
        ("02/12/1951", "a medical certificate is needed"),  # 75 today
    ],
)
async def test_age_boundaries_set_the_requirements(
    projects_loaded: LiveBot, birth: str, expected: str
) -> None:
    bot = projects_loaded
    card = await open_card(bot, SARA, "Shared gardens")
    await register(bot, SARA, card, "Join: Sat 5 Dec, 09:00–12:00", birth)
    assert expected in bot.emulator.last_bot_message(SARA)["text"] or any(
        expected in m["text"] for m in bot.emulator.bot_messages(SARA)
    )
    assert await volunteers(bot) == 1


@pytest.mark.parametrize(
    ("birth", "reason"), [("03/12/2011", "from the age of 15"), ("02/12/1946", "until the 80th")]
)
async def test_people_out_of_the_age_limits_are_refused_and_nothing_is_saved(
    projects_loaded: LiveBot, birth: str, reason: str
) -> None:
    bot = projects_loaded
    card = await open_card(bot, SARA, "Shared gardens")
    await start(bot, SARA, card)
    await bot.say(SARA, "Sara Verdi")
    [refusal] = await bot.say(SARA, birth)
    assert reason in refusal["text"] and "Nothing was saved." in refusal["text"]
    assert "greenway events" in refusal["text"]
    assert button_labels(refusal) == ["📅 Events", "🏠 Case di quartiere"]
    assert await volunteers(bot) == 0
    [still_open] = await bot.say(SARA, "Sara Verdi")  # the conversation is over
    assert "first name and surname" not in (still_open.get("text") or "")


async def test_a_refusal_leads_to_what_is_still_open(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, SARA, "Shared gardens")
    await start(bot, SARA, card)
    await bot.say(SARA, "Sara Verdi")
    [refusal] = await bot.say(SARA, "03/12/2011")
    await bot.press(SARA, refusal, "📅 Events")
    events = bot.emulator.message(SARA, refusal["message_id"])
    assert events["text"] != refusal["text"]


async def test_the_requirements_and_residence_come_before_any_personal_detail(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    _, [question] = await bot.press(LUCA, card, "Join: Sat 5 Dec, 09:00–12:00")
    assert "from 15 to 80 years old who live or are domiciled in the city" in question["text"]
    assert question["text"].endswith("Do you live, or are you domiciled, in the city?")
    assert button_labels(question) == ["Yes", "No"]
    await bot.press(LUCA, question, "No")
    refusal = bot.emulator.message(LUCA, question["message_id"])
    assert "live or are domiciled" in refusal["text"] and "Nothing was saved." in refusal["text"]
    assert button_labels(refusal) == ["📅 Events", "🏠 Case di quartiere"]
    assert await volunteers(bot) == 0


async def test_refused_consent_saves_nothing(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    await start(bot, LUCA, card)
    await bot.say(LUCA, "Luca Bianchi")
    await bot.say(LUCA, "01/02/1990")
    [_, consent] = await bot.say(LUCA, "3331234567")
    await bot.press(LUCA, consent, "I do not agree")
    assert "Nothing was saved." in bot.emulator.message(LUCA, consent["message_id"])["text"]
    assert await volunteers(bot) == 0


@pytest.mark.parametrize(("birth", "age"), [("1/1/1900", 126), ("01/01/2025", 1)])
async def test_an_implausible_birth_date_is_asked_again_with_the_age_it_gives(
    projects_loaded: LiveBot, birth: str, age: int
) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    await start(bot, LUCA, card)
    await bot.say(LUCA, "Luca Bianchi")
    [again] = await bot.say(LUCA, birth)
    assert again["text"].startswith(f"Are you really {age} year")
    [phone] = await bot.say(LUCA, "1 February 1990")
    assert phone["text"].startswith("Your phone number")


async def test_an_implausible_birth_date_is_asked_in_italian(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Orti condivisi", locale="it")
    _, [residence] = await bot.press(LUCA, card, "Partecipa: sab 5 dic, 09:00–12:00")
    await bot.press(LUCA, residence, "Sì")
    await bot.say(LUCA, "Luca Bianchi", language_code="it")
    [again] = await bot.say(LUCA, "1/1/1900", language_code="it")
    assert again["text"].startswith("Hai davvero 126 anni?")


async def test_the_phone_button_comes_back_after_a_typo(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, LUCA, "Shared gardens")
    await start(bot, LUCA, card)
    await bot.say(LUCA, "Luca Bianchi")
    await bot.say(LUCA, "01/02/1990")
    [retry] = await bot.say(LUCA, "call me")
    sent = bot.emulator.calls_to("sendMessage")
    [call] = [c for c in sent if c.ok and c.params["text"] == retry["text"]]
    markup = call.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    [[button]] = markup["keyboard"]
    assert button["request_contact"] is True
    [_, consent] = await bot.say(LUCA, "333 1234567")
    assert button_labels(consent) == ["I agree", "I do not agree"]


async def test_a_full_shift_waitlists_and_a_cancellation_promotes_who_is_next(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    sunday = "Join: Sun 6 Dec, 09:00–12:00"
    for user in (MARIA, LUCA, SARA):
        card = await open_card(bot, user, "Shared gardens")
        replies = await register(bot, user, card, sunday, "01/02/1990")
    assert "On the waitlist, position 2." in replies[-1]["text"]
    [places] = await bot.say(MARIA, "/shifts")
    assert "Your place is confirmed." in places["text"]
    before = bot.emulator.bot_message_count(LUCA)
    await bot.press(MARIA, places, "❌ Cancel 1")
    answer, _ = await bot.press(MARIA, places, "Yes, I'm leaving the shift")
    assert answer is not None and answer["text"] == "Your place was cancelled."
    promoted = await bot.emulator.wait_for_bot_message(LUCA, after=before, timeout=10)
    assert promoted["text"].startswith("Good news: a place has become free on Shared gardens")
    assert "on Sunday 6 December at 9:00" in promoted["text"]

    before = bot.emulator.bot_message_count(SARA)
    _, [question] = await bot.press(LUCA, promoted, "I can't come")
    await bot.press(LUCA, question, "Yes, I'm leaving the shift")
    next_one = await bot.emulator.wait_for_bot_message(SARA, after=before, timeout=10)
    assert next_one["text"].startswith("Good news")
    [sara_places] = await bot.say(SARA, "/shifts")
    assert "Your place is confirmed." in sara_places["text"]


async def test_overlapping_places_are_refused(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Shared gardens")
    await register(bot, MARIA, card, "Join: Sat 5 Dec, 09:00–12:00", "01/02/1990")
    card = await open_card(bot, MARIA, "Shared gardens")
    answer, [refusal] = await bot.press(MARIA, card, "Join: Sat 5 Dec, 11:00–13:00")
    assert answer is not None
    assert refusal["text"] == "You already have a place on a shift at the same time."


async def test_shifts_come_as_calendar_files_in_the_local_time_zone(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Shared gardens")
    await register(bot, MARIA, card, "Join: Sat 5 Dec, 09:00–12:00", "01/02/1990")
    [places] = await bot.say(MARIA, "/shifts")
    assert (
        "Where: North entrance, Casa di quartiere Test, Via Example 9, Reggio Emilia"
        in (places["text"])
    )
    _, [document] = await bot.press(MARIA, places, "📅 1")
    assert document["document"]["file_name"] == "shared-gardens-2026-12-05.ics"
    assert document["caption"] == (
        "📅 Shared gardens, Sat 5 Dec, 09:00–12:00: open the file to add it to your calendar."
    )
    data = bot.emulator.file(document["document"]["file_id"]).data.decode()
    assert "DTSTART;TZID=Europe/Rome:20261205T090000" in data
    assert "SUMMARY:Shared gardens" in data
    assert "BEGIN:VTIMEZONE" in data
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["location"]) == (
        "North entrance, Casa di quartiere Test, Via Example 9, Reggio Emilia"
    )
    assert (event["geo"].latitude, event["geo"].longitude) == (44.6925, 10.65)
    _, [both] = await bot.press(MARIA, places, "📅 All in one calendar file")
    assert both["document"]["file_name"] == "my-shifts.ics"


async def test_a_shift_cancelled_by_a_new_catalog_withdraws_places_and_tells_people(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Shared gardens")
    await register(bot, MARIA, card, "Join: Sat 5 Dec, 09:00–12:00", "01/02/1990")
    before = bot.emulator.bot_message_count(MARIA)
    update = (
        (DATA / "projects.yaml")
        .read_text()
        .replace("capacity: 10, place:", "capacity: 10, cancelled: true, place:")
    )
    await import_catalog_text(bot.sessions, update, "update.yaml", timezone=ROME, now=TEST_NOW)
    notice = await bot.emulator.wait_for_bot_message(MARIA, after=before, timeout=10)
    assert notice["text"].startswith("The shift of Shared gardens, on Saturday 5 December at 9:00,")
    assert "Where: North entrance, Casa di quartiere Test" in notice["text"]
    [places] = await bot.say(MARIA, "/shifts")
    assert places["text"].startswith("You have no upcoming shifts")


async def test_a_moved_shift_keeps_places_and_tells_people(projects_loaded: LiveBot) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Shared gardens")
    await register(bot, MARIA, card, "Join: Sun 6 Dec, 09:00–12:00", "01/02/1990")
    before = bot.emulator.bot_message_count(MARIA)
    update = (
        (DATA / "projects.yaml")
        .read_text()
        .replace("start: 2026-12-06T09:00", "start: 2026-12-06T10:00")
    )
    await import_catalog_text(bot.sessions, update, "update.yaml", timezone=ROME, now=TEST_NOW)
    notice = await bot.emulator.wait_for_bot_message(MARIA, after=before, timeout=10)
    assert "it is now on Sunday 6 December at 10:00." in notice["text"]
    [places] = await bot.say(MARIA, "/shifts")
    assert "Sun 6 Dec, 10:00–12:00" in places["text"]


async def test_a_phone_correction_adds_a_dated_entry_and_keeps_history(
    projects_loaded: LiveBot,
) -> None:
    bot = projects_loaded
    card = await open_card(bot, MARIA, "Shared gardens")
    await register(bot, MARIA, card, "Join: Sat 5 Dec, 09:00–12:00", "01/02/1990")
    [settings] = await bot.say(MARIA, "/settings")
    _, [question] = await bot.press(MARIA, settings, "📱 My phone number")
    assert question["text"].startswith("Your new phone number?")
    [refused] = await bot.say(MARIA, "not a number")
    assert "does not look like a phone number" in refused["text"]
    [done] = await bot.say(MARIA, "0522 456789")
    assert done["text"] == "Your phone number is now 0522456789."
    async with bot.sessions() as session:
        entries = list(await session.scalars(select(RegisterEntry).order_by(RegisterEntry.id)))
        volunteer = await session.get(Volunteer, MARIA)
    assert [entry.action for entry in entries] == ["registered", "corrected"]
    assert entries[0].data["phone"] == "+393331234567"  # the original entry is unchanged
    assert entries[1].data == {"phone": "0522456789", "previous_phone": "+393331234567"}
    assert volunteer is not None and volunteer.phone == "0522456789"
