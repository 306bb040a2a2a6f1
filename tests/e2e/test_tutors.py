"""Tutors on their shifts: roster, identity, attendance, messages, and nobody else."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.shared.callbacks import RosterAct, RosterOpen, ShiftReply
from storage.models import AuditEntry, Delivery, RegisterEntry, Signup, Volunteer
from tests.e2e.volunteering import open_card, register
from tests.support.fixtures import ROME
from tests.support.harness import LiveBot, button_labels

TUTOR, OTHER_TUTOR, MARIA, LUCA = 7001, 7003, 901, 902
SATURDAY = "Sat 5 Dec, 09:00–12:00"


@pytest.fixture
async def shift_with_people(live_bot: LiveBot, load_catalog) -> LiveBot:
    await load_catalog("projects.yaml")
    for user in (MARIA, LUCA):
        card = await open_card(live_bot, user, "Shared gardens")
        await register(live_bot, user, card, f"Join: {SATURDAY}", "01/02/1990")
    return live_bot


async def roster_of(bot: LiveBot, user: int) -> dict:
    card = await open_card(bot, user, "Shared gardens")
    _, [roster] = await bot.press(user, card, f"👥 Roster: {SATURDAY}")
    return roster


async def test_only_tutors_see_roster_buttons(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    assert f"👥 Roster: {SATURDAY}" in button_labels(await open_card(bot, TUTOR, "Shared gardens"))
    assert not any(
        "Roster" in b for b in button_labels(await open_card(bot, MARIA, "Shared gardens"))
    )


async def test_the_roster_lists_people_with_phones_and_what_is_to_verify(
    shift_with_people: LiveBot,
) -> None:
    roster = await roster_of(shift_with_people, TUTOR)
    assert "Places (2 of 10)" in roster["text"]
    assert "1. Maria Rossi · +393331234567 (identity to verify)" in roster["text"]
    assert "🪪 Identity 1" in button_labels(roster)
    assert not any("Present" in label for label in button_labels(roster))


async def test_a_tutor_confirms_identity_with_a_dated_entry(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    roster = await roster_of(bot, TUTOR)
    await bot.press(TUTOR, roster, "🪪 Identity 1")
    question = bot.emulator.message(TUTOR, roster["message_id"])
    assert question["text"] == "Did you check an identity document of Maria Rossi?"
    assert button_labels(question) == ["✅ Yes, I checked it", "✖️ No"]
    assert not await _verified(bot)  # not before the answer
    answer, _ = await bot.press(TUTOR, question, "✅ Yes, I checked it")
    assert answer is not None and answer["text"] == "Saved."
    updated = bot.emulator.message(TUTOR, roster["message_id"])
    assert updated["text"].startswith("🪪 Identity of Maria Rossi confirmed.")
    assert "1. Maria Rossi · +393331234567" in updated["text"]
    assert "1. Maria Rossi · +393331234567 (identity to verify)" not in updated["text"]
    assert button_labels(updated)[0] == "↩️ Undo"
    assert await _verified(bot)
    async with bot.sessions() as session:
        entry = await session.scalar(
            select(RegisterEntry).where(RegisterEntry.action == "identity_confirmed")
        )
    assert entry is not None and entry.recorded_by == TUTOR and entry.telegram_id == MARIA


async def _verified(bot: LiveBot) -> bool:
    async with bot.sessions() as session:
        volunteer = await session.get(Volunteer, MARIA)
        assert volunteer is not None
        return volunteer.identity_verified


async def test_no_to_the_document_question_confirms_nothing(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    roster = await roster_of(bot, TUTOR)
    await bot.press(TUTOR, roster, "🪪 Identity 1")
    await bot.press(TUTOR, bot.emulator.message(TUTOR, roster["message_id"]), "✖️ No")
    shown = bot.emulator.message(TUTOR, roster["message_id"])
    assert "1. Maria Rossi · +393331234567 (identity to verify)" in shown["text"]
    assert not await _verified(bot)


async def test_an_identity_confirmation_can_be_undone_for_ten_minutes_only(
    shift_with_people: LiveBot,
) -> None:
    bot = shift_with_people
    start = bot.clock.now()
    roster = await roster_of(bot, TUTOR)
    await bot.press(TUTOR, roster, "🪪 Identity 1")
    await bot.press(
        TUTOR, bot.emulator.message(TUTOR, roster["message_id"]), "✅ Yes, I checked it"
    )
    bot.clock.set(start + timedelta(minutes=9))
    answer, _ = await bot.press(TUTOR, bot.emulator.message(TUTOR, roster["message_id"]), "↩️ Undo")
    assert answer is not None and answer["text"] == "Undone."
    shown = bot.emulator.message(TUTOR, roster["message_id"])
    assert shown["text"].startswith("↩️ The identity of Maria Rossi is to verify again.")
    assert "1. Maria Rossi · +393331234567 (identity to verify)" in shown["text"]
    assert not await _verified(bot)
    async with bot.sessions() as session:
        actions = list(
            await session.scalars(
                select(RegisterEntry.action)
                .where(RegisterEntry.telegram_id == MARIA)
                .order_by(RegisterEntry.id)
            )
        )
        audited = list(await session.scalars(select(AuditEntry.action)))
    assert actions[-2:] == ["identity_confirmed", "identity_undone"]
    assert "roster.identity_undone" in audited
    # Confirmed again, and undone too late.
    await bot.press(TUTOR, shown, "🪪 Identity 1")
    await bot.press(
        TUTOR, bot.emulator.message(TUTOR, roster["message_id"]), "✅ Yes, I checked it"
    )
    bot.clock.set(start + timedelta(minutes=25))
    answer, _ = await bot.press(TUTOR, bot.emulator.message(TUTOR, roster["message_id"]), "↩️ Undo")
    assert answer is not None and answer["text"].startswith("Too late to undo")
    assert await _verified(bot)


async def test_attendance_is_marked_once_the_shift_has_started(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    bot.clock.set(datetime(2026, 12, 5, 12, 30, tzinfo=ROME))
    roster = await roster_of(bot, TUTOR)
    await bot.press(TUTOR, roster, "✅ Present 1")
    roster = bot.emulator.message(TUTOR, roster["message_id"])
    await bot.press(TUTOR, roster, "❌ Absent 2")
    async with bot.sessions() as session:
        statuses = dict((await session.execute(select(Signup.telegram_id, Signup.status))).all())
    assert statuses == {MARIA: "attended", LUCA: "no_show"}
    assert (
        "(identity to verify, present)" in bot.emulator.message(TUTOR, roster["message_id"])["text"]
    )


async def test_a_tutor_of_another_project_is_refused_even_with_forged_buttons(
    shift_with_people: LiveBot,
) -> None:
    bot = shift_with_people
    async with bot.sessions() as session:
        shift_id = await session.scalar(select(Signup.shift_id).limit(1))
    assert shift_id is not None
    [anchor] = await bot.say(OTHER_TUTOR, "/help", language_code="en")
    for data in (
        RosterOpen(shift_id=shift_id).pack(),
        RosterAct(action="identity", shift_id=shift_id, user_id=MARIA).pack(),
        RosterAct(action="present", shift_id=shift_id, user_id=MARIA).pack(),
    ):
        query = bot.emulator.user_sends_callback(OTHER_TUTOR, data, message_id=anchor["message_id"])
        await bot.process()
        answer = bot.emulator.callback_answer(query)
        assert answer is not None and "Only the tutors of this project" in answer["text"]
    async with bot.sessions() as session:
        assert not (await session.get(Volunteer, MARIA)).identity_verified  # type: ignore[union-attr]


async def test_a_tutor_messages_everyone_on_the_shift(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    await bot.say(TUTOR, "/start", language_code="en", first_name="Anna")
    roster = await roster_of(bot, TUTOR)
    _, [prompt] = await bot.press(TUTOR, roster, "✉️ Message everyone")
    assert prompt["text"].startswith("Write the message")
    before = {user: bot.emulator.bot_message_count(user) for user in (MARIA, LUCA)}
    bold = [{"type": "bold", "offset": 6, "length": 6}]
    [done] = await bot.say(TUTOR, "Bring gloves <please>!", entities=bold)
    assert done["text"] == "Your message is on its way to 2 people."
    for user in (MARIA, LUCA):
        received = await bot.emulator.wait_for_bot_message(user, after=before[user], timeout=10)
        assert received["text"] == (
            "✉️ Anna, tutor of Shared gardens, about the shift of Saturday 5 December, 09:00:"
            "\n\nBring gloves <please>!"
        )
        # The tutor's formatting is kept: "gloves" in bold (offsets count UTF-16 units).
        gloves = len(received["text"].split("gloves")[0].encode("utf-16-le")) // 2
        assert {"type": "bold", "offset": gloves, "length": 6} in received["entities"]
        assert button_labels(received) == ["↩️ Reply to Anna"]
    # A volunteer's reply reaches the tutor, saying who it is from and about what.
    to_maria = bot.emulator.bot_messages(MARIA)[-1]
    _, [ask] = await bot.press(MARIA, to_maria, "↩️ Reply to Anna")
    assert ask["text"] == "Write your reply for the tutor (or /cancel)."
    seen = bot.emulator.bot_message_count(TUTOR)
    [sent] = await bot.say(MARIA, "I'll bring two pairs")
    assert sent["text"] == "Your reply is on its way to Anna."
    reply = await bot.emulator.wait_for_bot_message(TUTOR, after=seen, timeout=10)
    assert reply["text"] == (
        "💬 Maria Rossi replies about Shared gardens, Saturday 5 December, 09:00:"
        "\n\nI'll bring two pairs"
    )


async def test_a_message_too_long_for_the_shift_is_refused_whole(
    shift_with_people: LiveBot,
) -> None:
    bot = shift_with_people
    roster = await roster_of(bot, TUTOR)
    await bot.press(TUTOR, roster, "✉️ Message everyone")
    before = {user: bot.emulator.bot_message_count(user) for user in (MARIA, LUCA)}
    [refused] = await bot.say(TUTOR, "x" * 3600)
    assert refused["text"] == (
        "This message is 3600 characters long: the most is 3500. "
        "Please send a shorter one (or /cancel)."
    )
    # Still in the step: a shorter one goes.
    [done] = await bot.say(TUTOR, "Shorter")
    assert done["text"] == "Your message is on its way to 2 people."
    for user in (MARIA, LUCA):
        received = await bot.emulator.wait_for_bot_message(user, after=before[user], timeout=10)
        assert received["text"].endswith("\n\nShorter")


async def test_only_someone_with_a_place_can_reply_to_a_tutor(shift_with_people: LiveBot) -> None:
    bot = shift_with_people
    async with bot.sessions() as session:
        shift_id = await session.scalar(select(Signup.shift_id).limit(1))
    assert shift_id is not None
    stranger = 903
    [anchor] = await bot.say(stranger, "/help", language_code="en")
    forged = ShiftReply(shift_id=shift_id, tutor_id=TUTOR).pack()
    bot.emulator.user_sends_callback(stranger, forged, message_id=anchor["message_id"])
    await bot.process()
    seen = bot.emulator.bot_message_count(TUTOR)
    [refused] = await bot.say(stranger, "Hello tutor")
    assert refused["text"] == "You can reply only about a shift where you have a place."
    async with bot.sessions() as session:
        queued = await session.scalar(
            select(Delivery.id).where(Delivery.message_key == "shift.volunteer_reply")
        )
    assert queued is None and bot.emulator.bot_message_count(TUTOR) == seen
