"""/events through the production dispatcher: pages, the greenway filter, both languages,
one labelled button per event opening its card ("I'll come", then "You're going" and Cancel),
the map pin, the calendar file and following greenways."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.services.volunteering import reminders
from handlers.shared.callbacks import EventAct
from storage.models import EventRsvp, GreenwaySubscription, User
from tests.events.catalog import POLICY, deliveries
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import BotHarness, button_labels

ANNA, BRUNO = 701, 702

pytestmark = pytest.mark.usefixtures("catalog")


async def open_events(harness: BotHarness, user: int, locale: str = "en") -> dict[str, Any]:
    [listing] = await harness.say(user, "/events", language_code=locale)
    return listing


def edited(harness: BotHarness, user: int, message: dict[str, Any]) -> dict[str, Any]:
    current = harness.emulator.message(user, message["message_id"])
    assert current is not None
    return current


async def open_card(
    harness: BotHarness, user: int, listing: dict[str, Any], label: str
) -> dict[str, Any]:
    """Presses an event's button on the page: its card replaces the page in the same bubble."""
    _answer, new = await harness.press(user, edited(harness, user, listing), label)
    assert new == []
    return edited(harness, user, listing)


async def test_upcoming_events_come_soonest_first_in_pages_without_past_or_cancelled(
    harness: BotHarness,
) -> None:
    listing = await open_events(harness, ANNA)
    text = listing["text"]
    assert text.startswith("Greenway events\nPage 1 of 2")
    assert text.index("Cycling along the Rodano") < text.index("Stories of the Crostolo")
    assert text.index("Stories of the Crostolo") < text.index("Walk along the Crostolo")
    assert "1. Cycling along the Rodano · Rodano greenway" in text
    assert "🗓 tomorrow at 9:30, until 12:00" in text  # Thursday 3 December
    assert "📍 Mauriziano car park" in text and "An easy 7 km bike ride." in text
    assert "Sunset at Villa Levi" not in text
    assert "Dawn on the Rodano" not in text and "Cancelled concert" not in text

    await harness.press(ANNA, listing, "▶️")
    second = edited(harness, ANNA, listing)
    assert second["text"].startswith("Greenway events\nPage 2 of 2")
    assert "1. Sunset at Villa Levi · Modolena park" in second["text"]
    assert "2. Cleaning up the Crostolo" in second["text"]
    assert "Cycling" not in second["text"] and "▶️" not in button_labels(second)
    await harness.press(ANNA, second, "◀️")
    assert "Cycling along the Rodano" in edited(harness, ANNA, listing)["text"]


async def test_an_event_leaves_the_list_once_it_has_ended(harness: BotHarness) -> None:
    harness.clock.set(TEST_NOW.replace(day=3, hour=12, minute=0))
    text = (await open_events(harness, ANNA))["text"]
    assert "Cycling along the Rodano" not in text
    assert "1. Stories of the Crostolo" in text


async def test_events_in_italian_have_italian_titles_dates_and_buttons(
    harness: BotHarness,
) -> None:
    listing = await open_events(harness, BRUNO, locale="it")
    text = listing["text"]
    assert text.startswith("Eventi delle greenway\nPagina 1 di 2")
    assert "1. In bici lungo il Rodano · Greenway del Rodano" in text
    assert "🗓 domani alle 9:30, fino alle 12:00" in text  # giovedì 3 dicembre
    assert "📍 Parcheggio del Mauriziano" in text
    assert button_labels(listing)[:3] == [
        "ℹ️ In bici lungo il Rodano",
        "ℹ️ Storie del Crostolo",
        "ℹ️ Camminata lungo il Crostolo",
    ]
    card = await open_card(harness, BRUNO, listing, "ℹ️ In bici lungo il Rodano")
    assert button_labels(card)[0] == "🙋 Ci vengo"
    answer, _ = await harness.press(BRUNO, card, "🙋 Ci vengo")
    assert answer is not None and answer["text"].startswith("Ci vediamo lì!")
    card = edited(harness, BRUNO, listing)
    assert "✅ Ci sei." in card["text"] and button_labels(card)[0] == "↩️ Annulla"
    await harness.press(BRUNO, card, "◀️ Eventi")
    assert "✅ In bici lungo il Rodano" in button_labels(edited(harness, BRUNO, listing))


async def test_the_greenway_filter_lists_only_that_greenways_events(harness: BotHarness) -> None:
    listing = await open_events(harness, ANNA)
    await harness.press(ANNA, listing, "🌿 Greenway")
    choice = edited(harness, ANNA, listing)
    assert choice["text"] == "Which greenway?"
    assert set(button_labels(choice)) >= {"Crostolo greenway", "Rodano greenway", "Modolena park"}
    await harness.press(ANNA, choice, "Crostolo greenway")
    filtered = edited(harness, ANNA, listing)
    assert filtered["text"].startswith("Greenway events\nGreenway: Crostolo greenway\nPage 1 of 1")
    assert "Stories of the Crostolo" in filtered["text"]
    assert "Walk along the Crostolo" in filtered["text"]
    assert "Cleaning up the Crostolo" in filtered["text"]
    assert "Rodano" not in filtered["text"] and "Villa Levi" not in filtered["text"]
    await harness.press(ANNA, filtered, "🌿 Greenway")
    await harness.press(ANNA, edited(harness, ANNA, listing), "All greenways")
    assert "Cycling along the Rodano" in edited(harness, ANNA, listing)["text"]


async def rsvps(harness: BotHarness, user: int) -> list[int]:
    async with harness.sessions() as session:
        rows = await session.scalars(
            select(EventRsvp.event_id).where(EventRsvp.telegram_id == user)
        )
        return list(rows)


async def test_saying_i_will_come_and_taking_it_back(
    harness: BotHarness, catalog: dict[str, int]
) -> None:
    listing = await open_events(harness, ANNA)
    assert "I'll come" not in " ".join(button_labels(listing))  # the page only names events
    card = await open_card(harness, ANNA, listing, "ℹ️ Walk along the Crostolo")
    assert card["text"].startswith("Walk along the Crostolo · Crostolo greenway")
    assert "You're going" not in card["text"]
    assert button_labels(card) == ["🙋 I'll come", "🗺 Map", "📅 Add to calendar", "◀️ Events"]
    answer, _ = await harness.press(ANNA, card, "🙋 I'll come")
    assert answer is not None
    assert answer["text"] == "See you there! You will be reminded before it starts."
    card = edited(harness, ANNA, listing)
    assert card["text"].endswith("✅ You're going.")
    assert button_labels(card)[0] == "↩️ Cancel"
    assert await rsvps(harness, ANNA) == [catalog["camminata-crostolo"]]
    prefix = f"reminder:event:{catalog['camminata-crostolo']}:user:{ANNA}:"
    assert [row.status for row in await deliveries(harness.sessions, prefix)] == ["pending"] * 2

    await harness.press(ANNA, card, "◀️ Events")
    page = edited(harness, ANNA, listing)
    assert "✅ You're going." in page["text"].split("3. ")[1]
    assert "✅ Walk along the Crostolo" in button_labels(page)
    assert "ℹ️ Cycling along the Rodano" in button_labels(page)

    card = await open_card(harness, ANNA, listing, "✅ Walk along the Crostolo")
    answer, _ = await harness.press(ANNA, card, "↩️ Cancel")
    assert answer is not None and answer["text"] == "Noted: you will not come."
    card = edited(harness, ANNA, listing)
    assert "You're going" not in card["text"] and button_labels(card)[0] == "🙋 I'll come"
    assert await rsvps(harness, ANNA) == []
    assert [row.status for row in await deliveries(harness.sessions, prefix)] == ["cancelled"] * 2

    await harness.press(ANNA, card, "🙋 I'll come")
    # Said again, the same two reminders are planned again, not two more.
    assert [row.status for row in await deliveries(harness.sessions, prefix)] == ["pending"] * 2


async def test_choosing_other_reminders_in_settings_replans_the_event_reminders(
    harness: BotHarness, catalog: dict[str, int]
) -> None:
    listing = await open_events(harness, ANNA)
    card = await open_card(harness, ANNA, listing, "ℹ️ Walk along the Crostolo")
    await harness.press(ANNA, card, "🙋 I'll come")
    prefix = f"reminder:event:{catalog['camminata-crostolo']}:user:{ANNA}:"

    async def pending_offsets() -> list[int]:
        rows = await deliveries(harness.sessions, prefix)
        return [int(row.dedup_key.split(":")[5]) for row in rows if row.status == "pending"]

    async with harness.sessions() as session:
        await reminders.choose_reminders(
            session, ANNA, toggle=24 * 3600, now=harness.clock.now(), policy=POLICY
        )
    assert await pending_offsets() == [2 * 3600]
    async with harness.sessions() as session:
        await reminders.choose_reminders(
            session, ANNA, toggle=24 * 3600, now=harness.clock.now(), policy=POLICY
        )
    assert await pending_offsets() == [24 * 3600, 2 * 3600]


async def test_saying_it_again_from_an_old_button_changes_nothing(
    harness: BotHarness, catalog: dict[str, int]
) -> None:
    listing = await open_events(harness, ANNA)
    card = await open_card(harness, ANNA, listing, "ℹ️ Cycling along the Rodano")
    await harness.press(ANNA, card, "🙋 I'll come")
    stale = EventAct(action="go", event_id=catalog["bici-rodano"], page=0).pack()
    query = harness.emulator.user_sends_callback(ANNA, stale, message_id=listing["message_id"])
    await harness.process()
    answer = harness.emulator.callback_answer(query)
    assert answer is not None and answer["text"].startswith("See you there!")
    assert await rsvps(harness, ANNA) == [catalog["bici-rodano"]]
    assert len(await deliveries(harness.sessions, "reminder:event:")) == 1  # 2 h before only


async def test_an_event_that_has_started_cannot_be_joined(harness: BotHarness) -> None:
    listing = await open_events(harness, ANNA)
    card = await open_card(harness, ANNA, listing, "ℹ️ Cycling along the Rodano")
    harness.clock.set(TEST_NOW.replace(day=3, hour=10))  # the ride is under way
    answer, _ = await harness.press(ANNA, card, "🙋 I'll come")
    assert answer is not None and answer["text"] == "This event has already started."
    assert await rsvps(harness, ANNA) == []


async def test_the_map_pin_and_the_calendar_file(harness: BotHarness) -> None:
    listing = await open_events(harness, ANNA)
    card = await open_card(harness, ANNA, listing, "ℹ️ Walk along the Crostolo")
    _, [venue] = await harness.press(ANNA, card, "🗺 Map")
    assert venue["venue"]["title"] == "Walk along the Crostolo"
    assert venue["venue"]["address"] == "San Pellegrino bridge"
    assert venue["venue"]["location"]["latitude"] == pytest.approx(44.6838)
    _, [walk] = await harness.press(ANNA, card, "📅 Add to calendar")
    await harness.press(ANNA, card, "◀️ Events")
    stories = await open_card(harness, ANNA, listing, "ℹ️ Stories of the Crostolo")
    assert "🗺 Map" not in button_labels(stories)  # the stories have no coordinates
    _, [document] = await harness.press(ANNA, stories, "📅 Add to calendar")
    assert document["document"]["file_name"] == "stories-crostolo-2026-12-05.ics"
    assert document["caption"].startswith("📅 Stories of the Crostolo, Saturday 5 December")
    data = harness.emulator.file(document["document"]["file_id"]).data.decode()
    assert "DTSTART;TZID=Europe/Rome:20261205T150000" in data
    assert "DTEND;TZID=Europe/Rome:20261205T170000" in data
    assert "SUMMARY:Stories of the Crostolo" in data and "LOCATION:Casa Manfredi" in data
    assert "BEGIN:VTIMEZONE" in data
    assert "GEO:" not in data  # the stories have no coordinates
    assert walk["document"]["file_name"].startswith("walk-crostolo-")
    [event] = Calendar.from_ical(harness.emulator.file(walk["document"]["file_id"]).data).walk(
        "VEVENT"
    )
    assert str(event["location"]) == "San Pellegrino bridge"
    assert event["geo"].latitude == pytest.approx(44.6838)


GREENWAYS = ("Crostolo greenway", "Modolena park", "Rodano greenway")


def following_shown(menu: dict[str, Any]) -> dict[str, bool]:
    """Each greenway's toggle and "All greenways", as the menu shows them (🔔 on, 🔕 off)."""
    shown = {
        label[2:]: label.startswith("🔔") for label in button_labels(menu) if label[0] in "🔔🔕"
    }
    # Never a contradiction: "all" on shows every greenway followed; one left shows "all" off.
    assert not shown["All greenways"] or all(shown[name] for name in GREENWAYS)
    return shown


async def subscriptions(harness: BotHarness, user: int) -> tuple[bool, int]:
    async with harness.sessions() as session:
        found = await session.get(User, user)
        rows = await session.scalars(
            select(GreenwaySubscription.greenway_id).where(GreenwaySubscription.telegram_id == user)
        )
        assert found is not None
        return found.all_greenways, len(list(rows))


async def test_following_one_greenway_all_of_them_and_the_digest(
    harness: BotHarness, catalog: dict[str, int]
) -> None:
    listing = await open_events(harness, ANNA)
    await harness.press(ANNA, listing, "🔔 Follow")
    menu = edited(harness, ANNA, listing)
    assert "You follow no greenway yet." in menu["text"]
    assert "You do not get the weekly digest." in menu["text"]
    assert not any(following_shown(menu).values())
    answer, _ = await harness.press(ANNA, menu, "🔕 Crostolo greenway")
    assert answer is not None and answer["text"] == "Saved."
    menu = edited(harness, ANNA, listing)
    assert "You follow: Crostolo greenway." in menu["text"]
    assert following_shown(menu)["Crostolo greenway"]
    await harness.press(ANNA, menu, "🔕 All greenways")
    await harness.press(ANNA, edited(harness, ANNA, listing), "🔕 Weekly digest")
    menu = edited(harness, ANNA, listing)
    assert "You follow every greenway, also those added later." in menu["text"]
    assert "The weekly digest of events comes on Mondays." in menu["text"]
    assert all(following_shown(menu).values())  # every greenway shows followed
    assert await subscriptions(harness, ANNA) == (True, 1)

    await harness.press(ANNA, menu, "🔔 Weekly digest")
    await harness.press(ANNA, edited(harness, ANNA, listing), "🔔 All greenways")
    menu = edited(harness, ANNA, listing)
    assert "You follow no greenway yet." in menu["text"]  # every toggle went off with it
    assert not any(following_shown(menu).values())
    assert await subscriptions(harness, ANNA) == (False, 0)
    await harness.press(ANNA, menu, "◀️ Events")
    assert edited(harness, ANNA, listing)["text"].startswith("Greenway events")


async def test_leaving_one_greenway_ends_following_all_and_keeps_the_others(
    harness: BotHarness,
) -> None:
    listing = await open_events(harness, ANNA)
    await harness.press(ANNA, listing, "🔔 Follow")
    await harness.press(ANNA, edited(harness, ANNA, listing), "🔕 All greenways")
    await harness.press(ANNA, edited(harness, ANNA, listing), "🔔 Rodano greenway")
    menu = edited(harness, ANNA, listing)
    assert following_shown(menu) == {
        "Crostolo greenway": True,
        "Modolena park": True,
        "Rodano greenway": False,
        "All greenways": False,
        "Weekly digest": False,
    }
    assert "You follow: Crostolo greenway, Modolena park." in menu["text"]
    assert await subscriptions(harness, ANNA) == (False, 2)
    # Following each one again does not claim "all": greenways added later are not included.
    await harness.press(ANNA, menu, "🔕 Rodano greenway")
    menu = edited(harness, ANNA, listing)
    assert following_shown(menu)["Rodano greenway"] and not following_shown(menu)["All greenways"]


async def test_a_page_with_no_events_says_so(harness: BotHarness) -> None:
    harness.clock.set(TEST_NOW + timedelta(days=30))
    listing = await open_events(harness, ANNA)
    assert listing["text"] == "Greenway events\nNo upcoming events at the moment."


async def test_an_event_of_today_or_tomorrow_says_so_in_words(harness: BotHarness) -> None:
    harness.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=ROME))
    listing = await open_events(harness, ANNA)
    assert "🗓 today at 15:00, in 5 hours, until 17:00" in listing["text"]
    assert "🗓 tomorrow at 10:00, until 12:00" in listing["text"]
    italian = await open_events(harness, BRUNO, locale="it")
    assert "🗓 domani alle 10:00, fino alle 12:00" in italian["text"]
