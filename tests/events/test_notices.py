"""Event notices end to end, the bot polling the emulator and its outbox sending: new events
to exactly the followers, moves and cancellations to exactly the RSVPs, RSVP reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import update

from bot.services.events import upcoming as events
from storage.models import User
from tests.events.catalog import CATALOG, NEW_EVENT, POLICY, deliveries, import_events, wait_sent
from tests.support.fixtures import ROME
from tests.support.harness import LiveBot, button_labels

ANNA, BRUNO, CARLA, DARIO = 711, 712, 713, 714


@pytest.fixture
async def bot(live_bot: LiveBot, catalog: dict[str, int]) -> LiveBot:
    for user, locale in ((ANNA, "en"), (BRUNO, "it"), (CARLA, "en"), (DARIO, "en")):
        await live_bot.say(user, "/start", language_code=locale)
    return live_bot


async def follow(bot: LiveBot, user: int, greenway_code: str) -> None:
    async with bot.sessions() as session:
        following = await events.following(session, user)
        [greenway] = [g for g in following.greenways if g.code == greenway_code]
        await events.follow_greenway(session, user, greenway.id, True, bot.clock.now())


async def rsvp(bot: LiveBot, user: int, event_id: int) -> None:
    async with bot.sessions() as session:
        await events.will_come(session, user, event_id, bot.clock.now(), POLICY)


async def choose_offsets(bot: LiveBot, user: int, seconds: list[int]) -> None:
    async with bot.sessions() as session:
        await session.execute(
            update(User).where(User.telegram_id == user).values(reminder_offsets=seconds)
        )
        await session.commit()


async def next_message(bot: LiveBot, user: int, before: int) -> dict[str, Any]:
    return await bot.emulator.wait_for_bot_message(user, after=before, timeout=10)


async def recipients(bot: LiveBot, key_prefix: str, status: str | None = None) -> list[int]:
    rows = await deliveries(bot.sessions, key_prefix)
    return sorted(row.recipient_id for row in rows if status is None or row.status == status)


def counts(bot: LiveBot) -> dict[int, int]:
    return {user: bot.emulator.bot_message_count(user) for user in (ANNA, BRUNO, CARLA, DARIO)}


async def test_a_new_event_tells_exactly_the_followers_of_its_greenway(bot: LiveBot) -> None:
    await follow(bot, ANNA, "crostolo")
    await follow(bot, BRUNO, "rodano")
    async with bot.sessions() as session:
        await events.follow_every_greenway(session, CARLA, True)
        await events.set_digest(session, DARIO, True)  # the digest alone is not following
    before = counts(bot)
    await import_events(bot.sessions, CATALOG + NEW_EVENT)
    notice = await next_message(bot, ANNA, before[ANNA])
    assert notice["text"] == (
        "🌿 A new event on the Crostolo greenway:\n\nPicnic on the Crostolo\n"
        "🗓 Tuesday 8 December, 10:00–12:00\n📍 Casa Manfredi"
    )
    await next_message(bot, CARLA, before[CARLA])
    assert await recipients(bot, "event-new:") == [ANNA, CARLA]
    await import_events(bot.sessions, CATALOG + NEW_EVENT)  # the same file again
    assert await recipients(bot, "event-new:") == [ANNA, CARLA]

    answer, _ = await bot.press(ANNA, notice, "🙋 I'll come")
    assert answer is not None and answer["text"].startswith("See you there!")
    # The notice itself now says so, and its button takes it back.
    answered = bot.emulator.message(ANNA, notice["message_id"])
    assert answered is not None and answered["text"].endswith(
        "📍 Casa Manfredi\n\n✅ You're going."
    )
    assert button_labels(answered)[0] == "↩️ Cancel"
    [listing] = await bot.say(ANNA, "/events")
    await bot.press(ANNA, listing, "▶️")
    second_page = bot.emulator.message(ANNA, listing["message_id"])
    assert second_page is not None and "1. Picnic on the Crostolo" in second_page["text"]
    assert "✅ Picnic on the Crostolo" in button_labels(second_page)
    after = counts(bot)
    assert after[BRUNO] == before[BRUNO] and after[DARIO] == before[DARIO]


async def test_a_new_event_imported_at_night_waits_for_the_end_of_quiet_hours(
    bot: LiveBot,
) -> None:
    await follow(bot, BRUNO, "crostolo")
    night = datetime(2026, 12, 2, 22, 30, tzinfo=ROME)
    bot.clock.set(night)
    await import_events(bot.sessions, CATALOG + NEW_EVENT, now=night)
    [row] = await deliveries(bot.sessions, "event-new:")
    assert row.due_at == datetime(2026, 12, 3, 8, 0, tzinfo=ROME)
    before = bot.emulator.bot_message_count(BRUNO)
    bot.clock.set(datetime(2026, 12, 3, 8, 0, tzinfo=ROME))
    notice = await next_message(bot, BRUNO, before)
    assert notice["text"].startswith("🌿 Nuovo evento – Greenway del Crostolo:")
    assert "martedì 8 dicembre, 10:00–12:00" in notice["text"]


async def test_a_moved_event_tells_exactly_the_rsvps_and_moves_their_reminders(
    bot: LiveBot, catalog: dict[str, int]
) -> None:
    walk = catalog["camminata-crostolo"]
    await rsvp(bot, ANNA, walk)
    await rsvp(bot, BRUNO, walk)
    await rsvp(bot, CARLA, catalog["villa-levi"])
    await follow(bot, DARIO, "crostolo")
    before = counts(bot)
    moved = CATALOG.replace(
        "start: 2026-12-06T10:00\n    end: 2026-12-06T12:00",
        "start: 2026-12-06T11:00\n    end: 2026-12-06T13:00",
    )
    summary = await import_events(bot.sessions, moved)
    assert summary.rescheduled_events == (walk,)
    english = await next_message(bot, ANNA, before[ANNA])
    assert english["text"] == (
        "An event you said you will come to has changed. It is now:\n\n"
        "Walk along the Crostolo\n🗓 Sunday 6 December, 11:00–13:00\n📍 San Pellegrino bridge"
    )
    # The walk has a pin: the map is a tap away.
    assert button_labels(english) == ["↩️ I can't come after all", "🗺 Map"]
    italian = await next_message(bot, BRUNO, before[BRUNO])
    assert "domenica 6 dicembre, 11:00–13:00" in italian["text"]
    assert await recipients(bot, "event-changed:") == [ANNA, BRUNO]

    prefix = f"reminder:event:{walk}:user:{ANNA}:"
    rows = await deliveries(bot.sessions, prefix)
    assert sorted(row.status for row in rows) == ["cancelled", "cancelled", "pending", "pending"]
    pending = [row.due_at for row in rows if row.status == "pending"]
    assert pending == [
        datetime(2026, 12, 5, 11, 0, tzinfo=ROME),
        datetime(2026, 12, 6, 9, 0, tzinfo=ROME),
    ]
    seen = bot.emulator.bot_message_count(ANNA)
    bot.clock.set(datetime(2026, 12, 5, 11, 0, tzinfo=ROME))
    reminder = await next_message(bot, ANNA, seen)
    assert "Sunday 6 December, 11:00–13:00" in reminder["text"]
    after = counts(bot)
    assert after[CARLA] == before[CARLA] and after[DARIO] == before[DARIO]


async def test_a_cancelled_event_tells_the_rsvps_and_withdraws_their_reminders(
    bot: LiveBot, catalog: dict[str, int]
) -> None:
    walk = catalog["camminata-crostolo"]
    await rsvp(bot, ANNA, walk)
    await rsvp(bot, CARLA, catalog["villa-levi"])
    before = counts(bot)
    cancelled = CATALOG.replace(
        "    lat: 44.6838\n    lon: 10.6300\n",
        "    lat: 44.6838\n    lon: 10.6300\n    cancelled: true\n",
    )
    summary = await import_events(bot.sessions, cancelled)
    assert summary.cancelled_events == (walk,)
    notice = await next_message(bot, ANNA, before[ANNA])
    assert notice["text"].startswith(
        "An event you said you will come to has been cancelled:\n\nWalk along the Crostolo\n"
        "🗓 Sunday 6 December, 10:00–12:00"
    )
    assert notice["text"].endswith("Find other events with /events.")
    assert await recipients(bot, "event-cancelled:") == [ANNA]
    assert await recipients(bot, f"reminder:event:{walk}:", "pending") == []
    [listing] = await bot.say(ANNA, "/events")
    assert "Walk along the Crostolo" not in listing["text"]
    seen = bot.emulator.bot_message_count(ANNA)
    bot.clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=ROME))
    await bot.say(ANNA, "/help")  # a round trip, so the sender had its chance to send
    assert bot.emulator.bot_message_count(ANNA) == seen + 1
    assert counts(bot)[CARLA] == before[CARLA]


async def test_rsvp_reminders_come_at_the_offsets_each_user_chose(
    bot: LiveBot, catalog: dict[str, int]
) -> None:
    walk = catalog["camminata-crostolo"]  # Sunday 6 December, 10:00
    await choose_offsets(bot, BRUNO, [2 * 3600])
    await choose_offsets(bot, CARLA, [])
    for user in (ANNA, BRUNO, CARLA):
        await rsvp(bot, user, walk)
    assert await recipients(bot, "reminder:event:") == [ANNA, ANNA, BRUNO]
    before = counts(bot)
    bot.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=ROME))
    day_before = await next_message(bot, ANNA, before[ANNA])
    assert day_before["text"] == (
        "⏰ A reminder: you said you will come to\n\nWalk along the Crostolo\n"
        "🗓 Sunday 6 December, 10:00–12:00\n📍 San Pellegrino bridge\n"
        "It starts tomorrow at 10:00."
    )
    assert counts(bot)[BRUNO] == before[BRUNO]
    bot.clock.set(datetime(2026, 12, 6, 8, 0, tzinfo=ROME))
    await next_message(bot, ANNA, before[ANNA] + 1)
    italian = await next_message(bot, BRUNO, before[BRUNO])
    assert italian["text"].startswith("⏰ Promemoria: hai detto che partecipi a")
    await wait_sent(bot.sessions, "reminder:event:", 3)
    assert await recipients(bot, "reminder:event:", "sent") == [ANNA, ANNA, BRUNO]
    assert counts(bot)[CARLA] == before[CARLA]


async def test_i_wont_come_on_a_reminder_withdraws_the_next_one(
    bot: LiveBot, catalog: dict[str, int]
) -> None:
    walk = catalog["camminata-crostolo"]
    await rsvp(bot, ANNA, walk)
    before = bot.emulator.bot_message_count(ANNA)
    bot.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=ROME))
    reminder = await next_message(bot, ANNA, before)
    answer, _ = await bot.press(ANNA, reminder, "↩️ I can't come after all")
    assert answer is not None and answer["text"] == "Noted: you will not come."
    answered = bot.emulator.message(ANNA, reminder["message_id"])
    assert answered is not None and answered["text"].endswith("\n\n✖️ You're not going.")
    assert button_labels(answered) == ["🙋 I'll come", "🗺 Map"]  # changing one's mind again
    assert await recipients(bot, f"reminder:event:{walk}:", "pending") == []
    await wait_sent(bot.sessions, f"reminder:event:{walk}:", 1)
    assert await recipients(bot, f"reminder:event:{walk}:", "sent") == [ANNA]
