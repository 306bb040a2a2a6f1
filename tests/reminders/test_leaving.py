"""Leaving a place asks first, and the /shifts list is edited in place; a place freed less
than 24 hours before the shift asks the promoted person whether they still want it."""

from __future__ import annotations

from typing import Any

from bot.services.volunteering import shifts
from tests.reminders.reminded import Reminded, local
from tests.support.fixtures import ROME
from tests.support.harness import button_labels

GARDENS = "Shared gardens"
SATURDAY = "Join: Sat 5 Dec, 09:00–12:00"
SUNDAY = "Join: Sun 6 Dec, 09:00–12:00"  # one place
SPID = "Ago, Filo e Spid (digital help)"
SPID_JOIN = "Join: Mon 7 Dec, 15:00–18:00"
MAP = "https://www.openstreetmap.org/?mlat=44.69250&mlon=10.65000#map=18/44.69250/10.65000"


def shown(reminded: Reminded, user: int, message: dict[str, Any]) -> dict[str, Any]:
    """The message as the chat shows it now (after any edit)."""
    current = reminded.bot.emulator.message(user, message["message_id"])
    assert current is not None
    return current


async def holds(reminded: Reminded, user: int) -> list[str]:
    async with reminded.bot.sessions() as session:
        places = await shifts.my_places(session, user, reminded.bot.clock.now())
    return [f"{place.shift.start_at.astimezone(ROME):%d %H:%M} {place.status}" for place in places]


async def test_leaving_asks_first_and_the_list_then_shows_only_what_is_left(
    reminded: Reminded,
) -> None:
    user = 1201
    await reminded.enrol(user)
    await reminded.join(user, GARDENS, SATURDAY)
    await reminded.join(user, SPID, SPID_JOIN)
    [places] = await reminded.bot.say(user, "/shifts")
    assert button_labels(places)[:2] == ["❌ Cancel 1", "📅 1"]

    _, new = await reminded.bot.press(user, places, "❌ Cancel 1")
    assert new == []  # the list itself becomes the question
    question = shown(reminded, user, places)
    assert question["text"] == (
        "Do you really want to leave the shift on Saturday 5 December at 9:00, Shared gardens?\n"
        "Where: North entrance, Casa di quartiere Test, Via Example 9, Reggio Emilia"
    )
    assert button_labels(question) == ["Yes, I'm leaving the shift", "No, I'll keep my place"]

    answer, new = await reminded.bot.press(user, places, "No, I'll keep my place")
    assert answer is not None and answer["text"] == "You keep your place."
    assert new == [] and shown(reminded, user, places)["text"] == places["text"]
    assert len(await holds(reminded, user)) == 2

    await reminded.bot.press(user, places, "❌ Cancel 1")
    answer, new = await reminded.bot.press(user, places, "Yes, I'm leaving the shift")
    assert answer is not None and answer["text"] == "Your place was cancelled."
    assert new == []  # no second list beside a stale one
    listed = shown(reminded, user, places)
    assert "Shared gardens" not in listed["text"] and SPID in listed["text"]
    assert "1. Ago, Filo e Spid" in listed["text"]
    assert button_labels(listed) == ["❌ Cancel 1", "📅 1", "📅 All in one calendar file"]
    assert await holds(reminded, user) == ["07 15:00 confirmed"]


async def test_the_question_is_asked_in_italian(reminded: Reminded) -> None:
    user = 1202
    await reminded.enrol(user, locale="it")
    await reminded.join(user, "Orti condivisi", "Partecipa: sab 5 dic, 09:00–12:00")
    [places] = await reminded.bot.say(user, "/shifts", language_code="it")
    await reminded.bot.press(user, places, "❌ Annulla 1")
    question = shown(reminded, user, places)
    assert question["text"].startswith(
        "Vuoi davvero lasciare il turno di sabato 5 dicembre alle 9:00, Orti condivisi?\n"
        "Dove: Ingresso nord, Casa di quartiere Test"
    )
    assert button_labels(question) == ["Sì, lascio il turno", "No, tengo il posto"]
    await reminded.bot.press(user, places, "Sì, lascio il turno")
    assert shown(reminded, user, places)["text"].startswith("Non hai turni in programma")


async def promote_late(reminded: Reminded, people: tuple[int, ...]) -> dict[str, Any]:
    """`people` take the Sunday shift's one place in turn; on Saturday at 10:00 the first
    gives it up: returns the notice the second receives."""
    for user in people:
        await reminded.enrol(user)
        await reminded.join(user, GARDENS, SUNDAY)
    await reminded.at(local(2026, 12, 5, 10, 0))
    [places] = await reminded.bot.say(people[0], "/shifts")
    before = reminded.bot.emulator.bot_message_count(people[1])
    await reminded.bot.press(people[0], places, "❌ Cancel 1")
    await reminded.bot.press(people[0], places, "Yes, I'm leaving the shift")
    return await reminded.bot.emulator.wait_for_bot_message(people[1], after=before, timeout=10)


async def test_a_place_freed_the_day_before_asks_and_yes_keeps_it(reminded: Reminded) -> None:
    first, second = 1211, 1212
    promoted = await promote_late(reminded, (first, second))
    assert promoted["text"] == (
        "Good news: a place has become free on Shared gardens, tomorrow at 9:00, and it is "
        "yours. It is soon: do you still want it? If you do not answer, the place stays yours.\n"
        "Where: Casa di quartiere Test, Via Example 9, Reggio Emilia"
    )
    assert button_labels(promoted) == ["✅ Yes, I'll come", "↪️ No, pass it on", "🗺 Map"]
    answer, _ = await reminded.bot.press(second, promoted, "✅ Yes, I'll come")
    assert answer is not None and answer["text"] == "Thank you! See you there."
    assert button_labels(shown(reminded, second, promoted)) == ["🗺 Map"]  # the map stays
    assert await holds(reminded, second) == ["06 09:00 confirmed"]


async def test_no_passes_the_place_to_the_next_who_is_asked_in_turn(reminded: Reminded) -> None:
    first, second, third = 1221, 1222, 1223
    promoted = await promote_late(reminded, (first, second, third))
    before = reminded.bot.emulator.bot_message_count(third)
    answer, _ = await reminded.bot.press(second, promoted, "↪️ No, pass it on")
    assert answer is not None and answer["text"].startswith("Your place was cancelled.")
    assert await holds(reminded, second) == []
    next_one = await reminded.bot.emulator.wait_for_bot_message(third, after=before, timeout=10)
    assert "It is soon: do you still want it?" in next_one["text"]
    assert await holds(reminded, third) == ["06 09:00 confirmed"]


async def test_no_answer_keeps_the_place_and_its_reminder(reminded: Reminded) -> None:
    first, second = 1231, 1232
    promoted = await promote_late(reminded, (first, second))
    assert "If you do not answer, the place stays yours." in promoted["text"]
    reminder = await reminded.expect_at(second, local(2026, 12, 6, 8, 0))
    assert reminder["text"].startswith("⏰ Reminder: your shift of Shared gardens is today")
    assert await holds(reminded, second) == ["06 09:00 confirmed"]


async def test_a_place_freed_days_before_only_tells_with_a_way_to_decline(
    reminded: Reminded,
) -> None:
    first, second = 1241, 1242
    for user in (first, second):
        await reminded.enrol(user)
        await reminded.join(user, GARDENS, SUNDAY)
    [places] = await reminded.bot.say(first, "/shifts")
    before = reminded.bot.emulator.bot_message_count(second)
    await reminded.bot.press(first, places, "❌ Cancel 1")
    await reminded.bot.press(first, places, "Yes, I'm leaving the shift")
    promoted = await reminded.bot.emulator.wait_for_bot_message(second, after=before, timeout=10)
    assert "do you still want it" not in promoted["text"]
    assert button_labels(promoted) == ["I can't come", "🗺 Map"]
    # Declining from the notice asks too, in a message of its own; the notice stays.
    _, [question] = await reminded.bot.press(second, promoted, "I can't come")
    assert question["text"].startswith("Do you really want to leave the shift on Sunday")
    _, new = await reminded.bot.press(second, question, "No, I'll keep my place")
    assert new == [] and shown(reminded, second, question)["text"] == (
        "You keep your place. See you there!"
    )
    assert await holds(reminded, second) == ["06 09:00 confirmed"]


async def test_a_stale_list_says_the_place_is_gone_and_shows_what_is_left(
    reminded: Reminded,
) -> None:
    user = 1251
    await reminded.enrol(user)
    await reminded.join(user, GARDENS, SATURDAY)
    await reminded.join(user, SPID, SPID_JOIN)
    [places] = await reminded.bot.say(user, "/shifts")
    async with reminded.bot.sessions() as session:  # given up elsewhere, as from a reminder
        saturday = reminded.shifts["orti-sat"]
        await shifts.cancel_place(
            session, user, saturday, reminded.bot.clock.now(), zone="Europe/Rome"
        )
    answer, new = await reminded.bot.press(user, places, "❌ Cancel 1")
    assert answer is not None and answer["text"] == "You have no place on this shift."
    listed = shown(reminded, user, places)
    assert new == [] and "Shared gardens" not in listed["text"] and SPID in listed["text"]
