"""The Monday digest: the week's events to the readers who opted in, once per week."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import FixedClock
from bot.runtime.scheduler import create_scheduler
from bot.services.events import digest as event_digest
from bot.services.events import upcoming as events
from tests.events.catalog import CATALOG, POLICY, deliveries, import_events, wait_sent
from tests.support import fixtures
from tests.support.fixtures import ROME, TEST_NOW
from tests.support.harness import LiveBot

ANNA, BRUNO, CARLA, DARIO = 721, 722, 723, 724
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=ROME)


async def setup_readers(bot: LiveBot) -> None:
    for user, locale in ((ANNA, "en"), (BRUNO, "it"), (CARLA, "en"), (DARIO, "en")):
        await bot.say(user, "/start", language_code=locale)
    async with bot.sessions() as session:
        crostolo = next(
            g.id for g in (await events.following(session, ANNA)).greenways if g.code == "crostolo"
        )
        for user in (ANNA, BRUNO, CARLA):
            await events.set_digest(session, user, True)
        await events.follow_greenway(session, ANNA, crostolo, True, TEST_NOW)
        await events.follow_greenway(session, DARIO, crostolo, True, TEST_NOW)
        await events.follow_every_greenway(session, CARLA, True)


async def queue_digest(bot: LiveBot, now: datetime) -> int:
    async with bot.sessions() as session:
        return await event_digest.queue_weekly_digest(session, now, POLICY)


async def digest_of(bot: LiveBot, user: int, before: int) -> dict[str, Any]:
    return await bot.emulator.wait_for_bot_message(user, after=before, timeout=10)


async def test_the_digest_lists_the_weeks_events_of_followed_greenways_to_readers_only(
    live_bot: LiveBot, catalog: dict[str, int]
) -> None:
    bot = live_bot
    await setup_readers(bot)
    before = {user: bot.emulator.bot_message_count(user) for user in (ANNA, BRUNO, CARLA, DARIO)}
    bot.clock.set(MONDAY)
    assert await queue_digest(bot, MONDAY) == 3
    anna = await digest_of(bot, ANNA, before[ANNA])
    assert anna["text"] == (
        "This week's greenway events\n\nCleaning up the Crostolo\n"
        "🗓 Saturday 12 December, 09:00–12:00\n📍 San Pellegrino bridge\n\n"
        "Say you will come in /events."
    )
    bruno = await digest_of(bot, BRUNO, before[BRUNO])  # follows nothing in particular: all
    assert bruno["text"].startswith("Gli eventi delle greenway di questa settimana")
    assert bruno["text"].index("Tramonto a Villa Levi") < bruno["text"].index("Puliamo il Crostolo")
    assert "giovedì 10 dicembre, 16:00–18:00" in bruno["text"]
    carla = await digest_of(bot, CARLA, before[CARLA])
    assert "Sunset at Villa Levi" in carla["text"] and "Cleaning up" in carla["text"]
    await wait_sent(bot.sessions, "digest:", 3)
    assert sorted(row.recipient_id for row in await deliveries(bot.sessions, "digest:")) == [
        ANNA,
        BRUNO,
        CARLA,
    ]
    assert bot.emulator.bot_message_count(DARIO) == before[DARIO]


async def test_the_digest_is_queued_once_per_week_however_often_the_job_runs(
    live_bot: LiveBot, catalog: dict[str, int]
) -> None:
    await setup_readers(live_bot)
    assert await queue_digest(live_bot, MONDAY) == 3
    # A restarted (or second) process runs the job again the same week.
    assert await queue_digest(live_bot, MONDAY.replace(hour=9, minute=30)) == 0
    assert len(await deliveries(live_bot.sessions, "digest:")) == 3
    keys = {row.dedup_key.split(":user:")[0] for row in await deliveries(live_bot.sessions)}
    assert "digest:2026-W50" in keys


async def test_a_week_without_events_sends_no_digest(
    live_bot: LiveBot, catalog: dict[str, int]
) -> None:
    await setup_readers(live_bot)
    empty_week = datetime(2026, 12, 14, 9, 0, tzinfo=ROME)
    assert await queue_digest(live_bot, empty_week) == 0
    assert await deliveries(live_bot.sessions, "digest:") == []


async def test_the_scheduler_runs_the_digest_on_monday_at_nine_local(
    live_bot: LiveBot, catalog: dict[str, int]
) -> None:
    await setup_readers(live_bot)
    clock = FixedClock(MONDAY)
    scheduler = create_scheduler(fixtures.test_settings(), live_bot.sessions, clock)
    job = scheduler.get_job("events-weekly-digest")
    assert job is not None and job.coalesce
    assert job.trigger.get_next_fire_time(None, TEST_NOW) == MONDAY
    # Across the end of daylight saving time it stays 09:00 local.
    october = datetime(2026, 10, 21, 12, 0, tzinfo=ROME)
    assert job.trigger.get_next_fire_time(None, october) == datetime(
        2026, 10, 26, 9, 0, tzinfo=ROME
    )
    await job.func()
    assert len(await deliveries(live_bot.sessions, "digest:")) == 3


async def test_a_busy_week_is_cut_short_with_how_many_more_there_are(
    live_bot: LiveBot, catalog: dict[str, int]
) -> None:
    many = "".join(
        f"""
  - code: extra-{day}-{hour}
    greenway: rodano
    title: Extra {day}/{hour}
    description: A short walk.
    start: 2026-12-{day:02d}T{hour:02d}:00
    end: 2026-12-{day:02d}T{hour:02d}:30
"""
        for day in (8, 9, 11)
        for hour in (10, 11, 12, 13, 14, 15)
    )
    await import_events(live_bot.sessions, CATALOG + many)
    await live_bot.say(ANNA, "/start", language_code="en")
    async with live_bot.sessions() as session:
        await events.set_digest(session, ANNA, True)
    before = live_bot.emulator.bot_message_count(ANNA)
    live_bot.clock.set(MONDAY)
    assert await queue_digest(live_bot, MONDAY) == 1
    digest = await digest_of(live_bot, ANNA, before)
    assert digest["text"].count("🗓") == event_digest.DIGEST_LIMIT
    assert "…and 5 more." in digest["text"]  # 18 extra events and 2 of the catalog's
