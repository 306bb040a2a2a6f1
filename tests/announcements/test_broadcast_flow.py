"""/broadcast in Telegram: compose with formatting, versions, audience, preview, progress."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.services.announcements import compose as announcements
from handlers.shared.callbacks import AnnouncementCancel
from storage.models import Announcement, Delivery
from tests.announcements.admin import choose_audience, compose, press_on, say_formatted, send_now
from tests.announcements.town import CITIZENS, announce, received
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW
from tests.support.harness import LiveBot, button_labels


async def test_an_admin_sends_a_formatted_announcement_with_an_english_version(
    town: LiveBot,
) -> None:
    bot = town
    versions = await compose(bot, "<b>Casa chiusa</b> domani, <i>scusate</i>")
    _, [ask] = await bot.press(ADMIN_ID, versions, "🇬🇧 English")
    assert ask["text"] == "Send the version in 🇬🇧 English (or /cancel)."
    [versions] = await say_formatted(bot, ADMIN_ID, "<b>House closed</b> tomorrow, sorry")
    assert "Versions: 🇬🇧 English" in versions["text"]
    menu = await choose_audience(bot, versions, ("A quartiere", "Ospizio"))
    assert menu["text"] == "Audience: quartiere Ospizio, 2 people. Add another group, or go on."
    menu = await press_on(bot, menu, "A greenway's subscribers")
    menu = await press_on(bot, menu, "Crostolo greenway")
    assert "quartiere Ospizio + subscribers of Crostolo greenway, 3 people" in menu["text"]
    [title, italian, title_en, english, summary] = await send_now(bot, menu, "Not urgent")
    assert (title["text"], title_en["text"]) == ("Preview:", "Preview in 🇬🇧 English:")
    assert summary["text"] == (
        "To quartiere Ospizio + subscribers of Crostolo greenway: 3 people, now."
    )
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await bot.emulator.wait_until(lambda: len(received(bot, "tomorrow", CITIZENS)) == 2, timeout=10)
    # The preview is exactly what each recipient gets: same text, same formatting.
    for person, preview in ((101, italian), (102, english), (104, english)):
        [got] = bot.emulator.bot_messages(person)
        assert (got["text"], got.get("entities")) == (preview["text"], preview.get("entities"))
    report = await bot.emulator.wait_for_bot_message(
        ADMIN_ID, after=bot.emulator.bot_message_count(ADMIN_ID), timeout=15
    )
    assert report["text"] == (
        "📣 Announcement #1 to quartiere Ospizio + subscribers of Crostolo greenway is over. "
        "Sent: 3 · failed: 0 · blocked the bot: 0 · cancelled: 0."
    )
    progress = bot.emulator.message(ADMIN_ID, summary["message_id"])
    assert progress is not None
    assert "Sent: 3 · Failed: 0 · Blocked: 0 · Remaining: 0" in progress["text"]
    assert "Finished." in progress["text"] and button_labels(progress) == []


async def test_the_final_report_lists_who_was_not_reached_as_csv(town: LiveBot) -> None:
    bot = town
    bot.emulator.user_blocks_bot(102)
    versions = await compose(bot, "Avviso per Ospizio")
    menu = await choose_audience(bot, versions, ("A quartiere", "Ospizio"))
    [*_, summary] = await send_now(bot, menu, "Not urgent")
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await bot.emulator.wait_for_call("sendDocument", timeout=15)
    [call] = bot.emulator.calls_to("sendDocument")
    assert call.params["caption"].endswith(
        "Sent: 1 · failed: 0 · blocked the bot: 1 · cancelled: 0."
    )
    document = bot.emulator.last_bot_message(ADMIN_ID)["document"]
    content = bot.emulator.file(document["file_id"]).data.decode()
    assert content.splitlines()[:2] == [
        "telegram_user_id,status,reason",
        "102,blocked,the user has blocked the bot",
    ]


async def test_a_photo_with_a_caption_reaches_the_audience_as_a_photo(town: LiveBot) -> None:
    bot = town
    await bot.say(ADMIN_ID, "/broadcast")
    bot.emulator.user_sends_photo(ADMIN_ID, caption="Festa in piazza")
    await bot.process()
    versions = bot.emulator.last_bot_message(ADMIN_ID)
    menu = await choose_audience(bot, versions, ("A project's volunteers", "Shared gardens"))
    [_title, preview, summary] = await send_now(bot, menu, "Not urgent")
    assert preview["caption"] == "Festa in piazza" and preview["photo"]
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await bot.emulator.wait_until(
        lambda: len(received(bot, "Festa in piazza", CITIZENS)) == 2, timeout=10
    )
    assert sorted(received(bot, "Festa in piazza", CITIZENS)) == [101, 106]
    assert bot.emulator.last_bot_message(106)["photo"]


async def test_a_scheduled_announcement_waits_for_its_time(town: LiveBot) -> None:
    bot = town
    versions = await compose(bot, "Assemblea stasera")
    menu = await choose_audience(bot, versions, ("Everyone", ""))
    _, [when] = await bot.press(ADMIN_ID, menu, "Next: when ➡️")
    _, [ask] = await bot.press(ADMIN_ID, when, "At a time…")
    assert ask["text"].startswith("Write the day and time")
    [refused] = await bot.say(ADMIN_ID, "01/12 18:30")
    assert refused["text"] == "That time is already past: choose a later one."
    [urgency] = await bot.say(ADMIN_ID, "02/12 18:30")
    _, [*_, summary] = await bot.press(ADMIN_ID, urgency, "Not urgent")
    assert summary["text"] == "To everyone: 8 people, Wednesday 2 December, 18:30."  # the admin too
    await bot.press(ADMIN_ID, summary, "✅ Send")
    progress = bot.emulator.message(ADMIN_ID, summary["message_id"])
    assert progress is not None and "Goes out on Wednesday 2 December, 18:30." in progress["text"]
    bot.clock.set(datetime(2026, 12, 2, 18, 29, tzinfo=ROME))
    await asyncio.sleep(1.5)  # several outbox ticks
    assert received(bot, "Assemblea stasera", CITIZENS) == {}
    bot.clock.set(datetime(2026, 12, 2, 18, 30, tzinfo=ROME))
    await bot.emulator.wait_until(
        lambda: len(received(bot, "Assemblea stasera", CITIZENS)) == 7, timeout=15
    )


async def test_only_the_languages_not_yet_added_are_offered_for_a_version(town: LiveBot) -> None:
    bot = town
    versions = await compose(bot, "Casa chiusa domani")
    assert button_labels(versions) == ["🇮🇹 Italiano", "🇬🇧 English", "Next: the audience ➡️"]
    assert "Add a version in another language, or go on to the audience." in versions["text"]
    await bot.press(ADMIN_ID, versions, "🇬🇧 English")
    [versions] = await bot.say(ADMIN_ID, "House closed tomorrow")
    assert button_labels(versions) == ["🇮🇹 Italiano", "Next: the audience ➡️"]
    await bot.press(ADMIN_ID, versions, "🇮🇹 Italiano")
    [versions] = await bot.say(ADMIN_ID, "Casa chiusa domani")
    assert "Versions: 🇬🇧 English, 🇮🇹 Italiano" in versions["text"]
    # Every language has its version: the step is no longer offered.
    assert button_labels(versions) == ["Next: the audience ➡️"]
    assert "Add a version" not in versions["text"]


async def test_quick_times_are_offered_and_a_late_press_is_refused(town: LiveBot) -> None:
    bot = town
    versions = await compose(bot, "Assemblea")
    menu = await choose_audience(bot, versions, ("Everyone", ""))
    _, [when] = await bot.press(ADMIN_ID, menu, "Next: when ➡️")
    assert button_labels(when) == [
        "Now",
        "This evening at 18:00",
        "Tomorrow at 9:00",
        "Tomorrow at 18:00",
        "At a time…",
    ]
    _, [urgency] = await bot.press(ADMIN_ID, when, "Tomorrow at 9:00")
    _, [*_, summary] = await bot.press(ADMIN_ID, urgency, "Not urgent")
    assert summary["text"] == "To everyone: 8 people, Thursday 3 December, 09:00."
    bot.clock.set(datetime(2026, 12, 2, 18, 1, tzinfo=ROME))
    answer, replies = await bot.press(ADMIN_ID, when, "This evening at 18:00")
    assert answer is not None and answer["text"] == "That time is already past: choose a later one."
    assert replies == []


async def test_a_time_written_in_words_is_read_and_a_past_one_refused(town: LiveBot) -> None:
    bot = town
    versions = await compose(bot, "Assemblea")
    menu = await choose_audience(bot, versions, ("Everyone", ""))
    _, [when] = await bot.press(ADMIN_ID, menu, "Next: when ➡️")
    await bot.press(ADMIN_ID, when, "At a time…")
    [refused] = await bot.say(ADMIN_ID, "oggi alle 9")
    assert refused["text"] == "That time is already past: choose a later one."
    [unread] = await bot.say(ADMIN_ID, "presto")
    assert unread["text"].startswith(
        "I could not read that time. Write it like “tomorrow at 18:00”"
    )
    [urgency] = await bot.say(ADMIN_ID, "domani alle 18")
    _, [*_, summary] = await bot.press(ADMIN_ID, urgency, "Not urgent")
    assert summary["text"] == "To everyone: 8 people, Thursday 3 December, 18:00."


async def test_an_urgent_announcement_counts_and_reaches_muted_people(town: LiveBot) -> None:
    bot = town
    versions = await compose(bot, "Allerta meteo")
    menu = await choose_audience(bot, versions, ("A quartiere", "Ospizio"))
    [*_, summary] = await send_now(bot, menu, "🔔 Urgent")
    assert summary["text"] == (
        "To quartiere Ospizio: 3 people, now.\nUrgent: also to people who muted announcements."
    )
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await bot.emulator.wait_until(
        lambda: len(received(bot, "Allerta meteo", CITIZENS)) == 3, timeout=10
    )
    assert sorted(received(bot, "Allerta meteo", CITIZENS)) == [101, 102, 108]


async def test_broadcast_is_for_admins_only(town: LiveBot) -> None:
    [reply] = await town.say(101, "/broadcast")
    assert reply["text"] == "Gli annunci li può inviare solo chi amministra il programma."
    later = await announce(town, "Later", "all", send_at=TEST_NOW + timedelta(hours=1))
    [anchor] = await town.say(101, "/settings")
    forged = AnnouncementCancel(announcement_id=later).pack()
    query = town.emulator.user_sends_callback(101, forged, message_id=anchor["message_id"])
    await town.process()
    answer = town.emulator.callback_answer(query)
    assert (
        answer is not None
        and answer["text"] == "Gli annunci li può inviare solo chi amministra il programma."
    )
    async with town.sessions() as session:
        assert (await announcements.progress(session, later)).cancelled_at is None


async def test_an_ordinary_announcement_waits_out_the_quiet_hours(town: LiveBot) -> None:
    bot = town
    bot.clock.set(datetime(2026, 12, 2, 22, 0, tzinfo=ROME))
    versions = await compose(bot, "Buonanotte")
    menu = await choose_audience(bot, versions, ("A quartiere", "Ospizio"))
    [*_, summary] = await send_now(bot, menu, "Not urgent")
    assert summary["text"] == (
        "To quartiere Ospizio: 2 people, Thursday 3 December, 08:00.\n"
        "Not urgent: it waits for the end of the quiet hours."
    )
    await bot.press(ADMIN_ID, summary, "✅ Send")
    await asyncio.sleep(1.5)
    assert received(bot, "Buonanotte", CITIZENS) == {}
    bot.clock.set(datetime(2026, 12, 3, 8, 0, tzinfo=ROME))
    await bot.emulator.wait_until(lambda: len(received(bot, "Buonanotte", CITIZENS)) == 2, 10)


async def test_a_send_button_under_an_older_preview_sends_nothing_and_shows_the_current_draft(
    town: LiveBot,
) -> None:
    bot = town
    menu = await choose_audience(
        bot, await compose(bot, "Bozza vecchia"), ("A quartiere", "Ospizio")
    )
    [*_, old_summary] = await send_now(bot, menu, "Not urgent")
    menu = await choose_audience(
        bot, await compose(bot, "Testo giusto"), ("A quartiere", "Ospizio")
    )
    [*_, new_summary] = await send_now(bot, menu, "Not urgent")

    answer, shown = await bot.press(ADMIN_ID, old_summary, "✅ Send")
    assert answer is not None and answer["text"].startswith("This preview is out of date")
    assert [message["text"] for message in shown] == [
        "Preview:",
        "Testo giusto",
        "To quartiere Ospizio: 2 people, now.",
    ]
    async with bot.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Announcement)) == 0
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0

    answer, _ = await bot.press(ADMIN_ID, new_summary, "✅ Send")
    assert answer is not None and answer["text"] == "Queued."
    await bot.emulator.wait_until(
        lambda: len(received(bot, "Testo giusto", CITIZENS)) == 2, timeout=10
    )
    assert received(bot, "Bozza vecchia", CITIZENS) == {}
