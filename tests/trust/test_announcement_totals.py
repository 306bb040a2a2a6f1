"""An announcement's totals stay as they were when a recipient is forgotten or rows age out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.announcements import compose as announcements
from bot.services.people import retention
from storage.models import Delivery
from tests.support.fixtures import ADMIN_ID
from tests.support.programme import LUCA, MARIA, PIERO
from tests.trust.trust import Trust


async def _announce(trust: Trust) -> int:
    """An announcement to everyone, once Luca and Piero have used the bot too."""
    bot = trust.bot
    for person in (LUCA, PIERO):
        await bot.say(person, "/start", language_code="en")
    async with bot.sessions() as session:
        progress = await announcements.announce(
            session,
            announcements.Draft(text="Assemblea", send_at=bot.clock.now() + timedelta(hours=1)),
            actor=ADMIN_ID,
            admin_ids=bot.settings.admin_ids,
            now=bot.clock.now(),
            default_locale="it",
        )
    return progress.id


async def _deliver(trust: Trust, announcement_id: int) -> None:
    """As the sender would: Luca could not be reached, the others got it."""
    async with trust.bot.sessions() as session:
        rows = await session.scalars(
            select(Delivery).where(Delivery.announcement_id == announcement_id)
        )
        for delivery in rows:
            delivery.status = "failed" if delivery.recipient_id == LUCA else "sent"
        await session.commit()


async def _history(trust: Trust, announcement_id: int) -> str:
    """The line /broadcast shows the admin about the announcement."""
    [recent, _prompt] = await trust.bot.say(ADMIN_ID, "/broadcast", language_code="en")
    [line] = [x for x in recent["text"].splitlines() if x.startswith(f"#{announcement_id} ")]
    return line


async def _totals(trust: Trust, announcement_id: int) -> tuple[int, int, int, int, int, int]:
    async with trust.bot.sessions() as session:
        p = await announcements.progress(session, announcement_id)
    return (p.recipients, p.sent, p.failed, p.blocked, p.cancelled, p.remaining)


async def test_forgetting_a_recipient_leaves_the_totals_the_admin_sees_unchanged(
    trust: Trust,
) -> None:
    bot = trust.bot
    announcement = await _announce(trust)
    await _deliver(trust, announcement)
    before, line = await _totals(trust, announcement), await _history(trust, announcement)
    assert before[:3] == (3, 2, 1), "Maria and Piero got it, Luca could not be reached"
    for person in (MARIA, LUCA):  # one who got it, one who could not be reached
        [question] = await bot.say(person, "/forget", language_code="en")
        await bot.press(person, question, "Yes, erase my data")
    async with bot.sessions() as session:
        recipients = set(
            await session.scalars(
                select(Delivery.recipient_id).where(Delivery.announcement_id == announcement)
            )
        )
    assert not recipients & {MARIA, LUCA}, "their deliveries are erased"
    assert await _totals(trust, announcement) == before
    assert await _history(trust, announcement) == line


async def test_an_announcement_forgotten_before_it_went_counts_as_not_sent(trust: Trust) -> None:
    announcement = await _announce(trust)
    before = await _totals(trust, announcement)
    [question] = await trust.bot.say(MARIA, "/forget", language_code="en")
    await trust.bot.press(MARIA, question, "Yes, erase my data")
    recipients, sent, failed, blocked, cancelled, remaining = await _totals(trust, announcement)
    assert (recipients, sent, failed, blocked) == before[:4]
    assert (cancelled, remaining) == (before[4] + 1, before[5] - 1)


async def test_the_totals_outlive_the_deliveries_retention_removes(trust: Trust) -> None:
    announcement = await _announce(trust)
    await _deliver(trust, announcement)
    before, line = await _totals(trust, announcement), await _history(trust, announcement)
    async with trust.bot.sessions() as session:
        later = trust.bot.clock.now() + retention.DELIVERIES + timedelta(days=1)
        purged = await retention.purge_expired(session, later)
    assert purged.deliveries >= before[0]
    assert await _totals(trust, announcement) == before
    assert await _history(trust, announcement) == line
