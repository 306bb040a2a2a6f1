"""Shift reminders and the hours nudge, sent by the running bot as its clock moves."""

from __future__ import annotations

import pytest

from bot.services.catalog.importing import import_catalog_text
from bot.services.people.roles import actor_of
from bot.services.volunteering import reminders, roster, shifts
from handlers.shared.callbacks import HoursFromShift
from tests.reminders.reminded import Reminded, local, shifts_yaml
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import button_labels

SPID = "Ago, Filo e Spid (digital help)"
SPID_JOIN = "Join: Mon 7 Dec, 15:00–18:00"
GARDENS = "Shared gardens"
SUNDAY_JOIN = "Join: Sun 6 Dec, 09:00–12:00"


def callback_data(message: dict, label: str) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


async def test_each_reminder_comes_at_its_offset_and_the_nudge_after_the_shift(
    reminded: Reminded,
) -> None:
    user = 1101
    await reminded.enrol(user)
    reply = await reminded.join(user, SPID, SPID_JOIN)
    assert "Your place is confirmed." in reply["text"]

    await reminded.expect_nothing_at(user, local(2026, 12, 6, 14, 59, 59))
    day_before = await reminded.expect_at(user, local(2026, 12, 6, 15, 0))
    assert day_before["text"] == (
        "⏰ Reminder: your shift of Ago, Filo e Spid (digital help) is tomorrow at 15:00."
    )
    assert button_labels(day_before) == ["I'll be there", "I can't come"]

    await reminded.expect_nothing_at(user, local(2026, 12, 7, 12, 59, 59))
    two_hours = await reminded.expect_at(user, local(2026, 12, 7, 13, 0))
    assert two_hours["text"] == (
        "⏰ Reminder: your shift of Ago, Filo e Spid (digital help) is today at 15:00, in 2 hours."
    )

    await reminded.expect_nothing_at(user, local(2026, 12, 7, 18, 59, 59))
    nudge = await reminded.expect_at(user, local(2026, 12, 7, 19, 0))
    assert nudge["text"].startswith("Thank you for the shift of Ago, Filo e Spid")
    shift_id = reminded.shifts["spid-mon"]
    assert callback_data(nudge, "⏱ Log my hours") == HoursFromShift(shift_id=shift_id).pack()
    await reminded.expect_nothing_at(user, local(2026, 12, 9, 12, 0))
    assert [row.status for row in await reminded.deliveries(user)] == ["sent"] * 3


async def test_reminders_are_in_the_recipients_language(reminded: Reminded) -> None:
    user = 1102
    await reminded.enrol(user, locale="it")
    await reminded.join(user, "Orti condivisi", "Partecipa: dom 6 dic, 09:00–12:00")
    reminder = await reminded.expect_at(user, local(2026, 12, 5, 9, 0))
    assert reminder["text"] == (
        "⏰ Promemoria: il tuo turno di Orti condivisi è domani alle 9:00.\n"
        "Dove: Casa di quartiere Test, Via Example 9, Reggio Emilia"
    )
    assert button_labels(reminder) == ["Ci sarò", "Non posso venire", "🗺 Mappa"]
    [places] = await reminded.bot.say(user, "/shifts", language_code="it")
    assert "domani alle 9:00, fino alle 12:00" in places["text"]
    [[_, _], [map_button]] = reminder["reply_markup"]["inline_keyboard"]
    assert map_button["url"] == (
        "https://www.openstreetmap.org/?mlat=44.69250&mlon=10.65000#map=18/44.69250/10.65000"
    )


async def test_the_sign_up_and_the_reminder_name_the_place_the_hub_and_its_address(
    reminded: Reminded,
) -> None:
    user = 1104
    await reminded.enrol(user)
    confirmation = await reminded.join(user, GARDENS, "Join: Sat 5 Dec, 09:00–12:00")
    # The confirmation already says where, with the map one tap away.
    assert (
        "Where: North entrance, Casa di quartiere Test, Via Example 9, Reggio Emilia"
        in (confirmation["text"])
    )
    assert button_labels(confirmation) == ["🗺 Map"]
    reminder = await reminded.expect_at(user, local(2026, 12, 4, 9, 0))
    assert reminder["text"] == (
        "⏰ Reminder: your shift of Shared gardens is tomorrow at 9:00.\n"
        "Where: North entrance, Casa di quartiere Test, Via Example 9, Reggio Emilia"
    )
    [places] = await reminded.bot.say(user, "/shifts")
    assert (
        "Shared gardens\ntomorrow at 9:00, until 12:00\nWhere: North entrance" in (places["text"])
    )


async def test_ill_be_there_is_answered_kindly_and_keeps_the_place(reminded: Reminded) -> None:
    user = 1103
    await reminded.enrol(user)
    await reminded.join(user, SPID, SPID_JOIN)
    reminder = await reminded.expect_at(user, local(2026, 12, 6, 15, 0))
    answer, _ = await reminded.bot.press(user, reminder, "I'll be there")
    assert answer is not None and answer["text"] == "Thank you! See you there."
    assert button_labels(reminded.bot.emulator.message(user, reminder["message_id"])) == []
    [places] = await reminded.bot.say(user, "/shifts")
    assert "Your place is confirmed." in places["text"]
    second = await reminded.expect_at(user, local(2026, 12, 7, 13, 0))
    assert second["text"].startswith("⏰ Reminder")


async def test_i_cant_come_frees_the_place_for_the_waitlist_who_get_the_reminders(
    reminded: Reminded,
) -> None:
    first, second = 1111, 1112
    for user in (first, second):
        await reminded.enrol(user)
        await reminded.join(user, GARDENS, SUNDAY_JOIN)  # one place: the second waits
    assert [key for key, _ in await reminded.pending(second)] == []

    reminder = await reminded.expect_at(first, local(2026, 12, 5, 9, 0))
    reminded.bot.clock.set(local(2026, 12, 5, 9, 5))
    before = reminded.bot.emulator.bot_message_count(second)
    _, [question] = await reminded.bot.press(first, reminder, "I can't come")  # asks first
    assert question["text"].startswith("Do you really want to leave the shift tomorrow at 9:00")
    await reminded.bot.press(first, question, "Yes, I'm leaving the shift")
    promoted = await reminded.bot.emulator.wait_for_bot_message(second, after=before, timeout=10)
    assert promoted["text"].startswith("Good news: a place has become free on Shared gardens")
    assert await reminded.pending(first) == []
    # The 2 h reminder falls in the quiet hours (07:00): it waits until they end at 08:00.
    assert await reminded.pending(second) == [
        ("hours.nudge", local(2026, 12, 6, 13, 0)),
        ("shift.reminder", local(2026, 12, 6, 8, 0)),
    ]
    first_had = reminded.bot.emulator.bot_message_count(first)
    reminder = await reminded.expect_at(second, local(2026, 12, 6, 8, 0))
    assert reminder["text"].startswith("⏰ Reminder: your shift of Shared gardens")
    assert reminded.bot.emulator.bot_message_count(first) == first_had


@pytest.mark.parametrize("how", ["shifts", "catalog", "reminder"])
async def test_every_kind_of_cancellation_withdraws_reminders_and_nudge(
    reminded: Reminded, how: str
) -> None:
    user = 1121
    await reminded.enrol(user)
    await reminded.join(user, GARDENS, "Join: Sat 5 Dec, 09:00–12:00")
    assert len(await reminded.pending(user)) == 3
    if how == "shifts":
        [places] = await reminded.bot.say(user, "/shifts")
        await reminded.bot.press(user, places, "❌ Cancel 1")
        question = reminded.bot.emulator.bot_messages(user)[-1]  # the list, edited
        await reminded.bot.press(user, question, "Yes, I'm leaving the shift")
    elif how == "catalog":
        update = shifts_yaml().replace(
            "capacity: 10, place:", "capacity: 10, cancelled: true, place:"
        )
        await import_catalog_text(
            reminded.bot.sessions, update, "update.yaml", timezone=ROME, now=TEST_NOW
        )
    else:
        reminder = await reminded.expect_at(user, local(2026, 12, 4, 9, 0))
        _, [question] = await reminded.bot.press(user, reminder, "I can't come")
        await reminded.bot.press(user, question, "Yes, I'm leaving the shift")
    assert await reminded.pending(user) == []
    before = reminded.bot.emulator.bot_message_count(user)
    await reminded.at(local(2026, 12, 5, 8, 0))
    await reminded.at(local(2026, 12, 5, 14, 0))
    texts = [m["text"] for m in reminded.bot.emulator.bot_messages(user)[before:]]
    assert not [text for text in texts if "Reminder" in text or "Log your hours" in text]


async def test_a_moved_shift_moves_its_reminders_and_its_nudge(reminded: Reminded) -> None:
    user = 1131
    await reminded.enrol(user)
    await reminded.join(user, GARDENS, SUNDAY_JOIN)
    update = shifts_yaml().replace(
        "start: 2026-12-06T09:00, end: 2026-12-06T12:00",
        "start: 2026-12-06T10:00, end: 2026-12-06T13:00",
    )
    before = reminded.bot.emulator.bot_message_count(user)
    await import_catalog_text(
        reminded.bot.sessions, update, "update.yaml", timezone=ROME, now=TEST_NOW
    )
    changed = await reminded.bot.emulator.wait_for_bot_message(user, after=before)
    assert "it is now on Sunday 6 December at 10:00." in changed["text"]
    assert "Where: Casa di quartiere Test, Via Example 9" in changed["text"]
    assert await reminded.pending(user) == [
        ("hours.nudge", local(2026, 12, 6, 14, 0)),
        ("shift.reminder", local(2026, 12, 5, 10, 0)),
        ("shift.reminder", local(2026, 12, 6, 8, 0)),
    ]
    await reminded.expect_nothing_at(user, local(2026, 12, 5, 9, 59))
    reminder = await reminded.expect_at(user, local(2026, 12, 5, 10, 0))
    assert "is tomorrow at 10:00." in reminder["text"]
    # Withdrawing the nudge by its documented key is what the hours code does.
    async with reminded.bot.sessions() as session:
        assert await reminders.withdraw_nudge(session, reminded.shifts["orti-sun"], user) == 1
        await session.commit()
    reminder = await reminded.expect_at(user, local(2026, 12, 6, 8, 0))
    assert "is today at 10:00, in 2 hours." in reminder["text"]
    await reminded.expect_nothing_at(user, local(2026, 12, 6, 15, 0))
    keys = [row.message_key for row in await reminded.deliveries(user) if row.status == "sent"]
    assert keys.count("hours.nudge") == 0 and keys.count("shift.reminder") == 2


async def test_a_sign_up_shortly_before_the_shift_gets_only_the_reminders_still_ahead(
    reminded: Reminded,
) -> None:
    user = 1141
    await reminded.enrol(user)
    reminded.bot.clock.set(local(2026, 12, 7, 12, 0))  # three hours before the shift
    await reminded.join(user, SPID, SPID_JOIN)
    assert await reminded.pending(user) == [
        ("hours.nudge", local(2026, 12, 7, 19, 0)),
        ("shift.reminder", local(2026, 12, 7, 13, 0)),
    ]
    async with reminded.bot.sessions() as session:
        await shifts.cancel_place(
            session, user, reminded.shifts["spid-mon"], reminded.bot.clock.now(), zone="Europe/Rome"
        )
    assert await reminded.pending(user) == []


async def test_a_volunteer_marked_absent_gets_no_nudge_unless_marked_present_again(
    reminded: Reminded,
) -> None:
    user, tutor = 1151, 7001
    await reminded.enrol(user)
    await reminded.join(user, GARDENS, "Join: Sat 5 Dec, 09:00–12:00")
    shift_id = reminded.shifts["orti-sat"]
    during = local(2026, 12, 5, 10, 0)
    await reminded.at(during)
    nudge = ("hours.nudge", local(2026, 12, 5, 13, 0))
    async with reminded.bot.sessions() as session:
        actor = await actor_of(session, tutor, ())
        await roster.act(session, actor, shift_id, user, roster.Action.ABSENT, during)
    assert await reminded.pending(user) == []
    async with reminded.bot.sessions() as session:
        await roster.act(session, actor, shift_id, user, roster.Action.PRESENT, during)
    assert await reminded.pending(user) == [nudge]
    message = await reminded.expect_at(user, local(2026, 12, 5, 13, 0))
    assert message["text"].startswith("Thank you for the shift of Shared gardens")
