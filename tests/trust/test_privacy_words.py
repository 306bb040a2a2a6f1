"""/mydata in words with its file, and a volunteer's replies to tutors under every right."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from aiogram.utils.i18n import I18n
from sqlalchemy import select

from bot.i18n import locales_dir
from bot.notices.shifts import VOLUNTEER_REPLY
from bot.services.people import privacy, retention
from bot.services.volunteering import roster
from handlers.privacy.mydata import CAPTION_LIMIT, summary_text
from storage.models import Delivery
from tests.support.fixtures import ROME
from tests.support.harness import BotHarness
from tests.support.programme import LUCA, MARIA, TUTOR
from tests.trust.trust import Trust


async def _reply(trust: Trust, volunteer: int, text: str) -> None:
    """The volunteer answers the garden tutor about the Saturday shift they are on."""
    bot = trust.bot
    async with bot.sessions() as session:
        await roster.reply_to_tutor(
            session,
            volunteer,
            trust.programme.shifts["orti-sat"],
            TUTOR,
            text,
            bot.clock.now(),
            length=len(text),
            zone="Europe/Rome",
        )


async def _replies(bot: BotHarness) -> list[Delivery]:
    async with bot.sessions() as session:
        return list(
            await session.scalars(
                select(Delivery).where(Delivery.message_key == VOLUNTEER_REPLY.message_key)
            )
        )


async def _mydata(bot: BotHarness, user: int, locale: str) -> tuple[str, str, dict[str, Any]]:
    """The caption, the file's name and the file's content."""
    [reply] = await bot.say(user, "/mydata", language_code=locale)
    document = reply["document"]
    content = json.loads(bot.emulator.file(document["file_id"]).data)
    return reply["caption"], document["file_name"], content


async def test_mydata_says_in_words_what_is_held_and_attaches_the_whole_file(
    trust: Trust,
) -> None:
    caption, name, content = await _mydata(trust.bot, MARIA, "en")
    today = trust.bot.clock.now().astimezone(ROME).date()
    assert name == f"my-data-quartiere-{today.isoformat()}.json"
    assert caption == (
        "What I hold about you\n"
        "You have used the bot since 8 December 2026.\n"
        "You have been in the volunteer register since 2 December 2026.\n"
        "1 hour report waiting for a tutor.\n"
        "You are in 1 project.\n"
        "1 message the bot sent you or will send you.\n"
        "Everything, in detail, is in the attached file. /forget erases it."
    )
    assert content["volunteer_register"]["full_name"] == "Maria Rossi"


async def test_mydata_in_italian_names_the_file_for_people_and_counts_in_words(
    trust: Trust,
) -> None:
    await _reply(trust, MARIA, "Arrivo alle 9")
    caption, name, _content = await _mydata(trust.bot, MARIA, "it")
    today = trust.bot.clock.now().astimezone(ROME).date()
    assert name == f"miei-dati-quartiere-{today.isoformat()}.json"
    assert "Iscrizione al registro dei volontari: 2 dicembre 2026." in caption
    assert "1 segnalazione di ore in attesa di un tutor." in caption
    assert "1 risposta che hai mandato a un tutor." in caption


async def test_someone_who_only_wrote_once_is_told_only_that(harness: BotHarness) -> None:
    caption, _name, content = await _mydata(harness, 555, "en")
    assert content["volunteer_register"] is None
    assert caption.splitlines()[1:] == [
        "You have used the bot since 2 December 2026.",
        "Everything, in detail, is in the attached file. /forget erases it.",
    ]


@pytest.mark.parametrize("locale", ["it", "en"])
def test_the_fullest_summary_fits_a_caption(locale: str) -> None:
    today = date(2026, 12, 2)
    summary = privacy.Summary(
        first_seen=today,
        registered_on=today,
        upcoming_shifts=999,
        year=2026,
        approved_minutes=99_999 * 60 + 59,
        pending_reports=999,
        projects=999,
        greenways=999,
        events=999,
        certificates=999,
        replies_to_tutors=999,
        messages=99_999,
        conversations=9,
        removed_from_staff_on=today,
    )
    i18n = I18n(path=locales_dir(), default_locale="it", domain="messages")
    with i18n.context(), i18n.use_locale(locale):
        text = summary_text(summary, locale)
    assert len(text) <= CAPTION_LIMIT
    assert len(text.splitlines()) == 15, "every sentence fits: none was dropped"


async def test_a_reply_to_a_tutor_is_in_mydata_and_goes_with_forget(trust: Trust) -> None:
    bot = trust.bot
    await _reply(trust, MARIA, "Arrivo alle 9, porto i guanti")
    await _reply(trust, LUCA, "Ci sono anch'io")
    caption, _name, content = await _mydata(bot, MARIA, "en")
    [mine] = content["replies_to_tutors"]
    assert (mine["text"], mine["to_tutor"], mine["status"]) == (
        "Arrivo alle 9, porto i guanti",
        TUTOR,
        "pending",
    )
    assert "1 reply you sent to a tutor." in caption
    [question] = await bot.say(MARIA, "/forget", language_code="en")
    await bot.press(MARIA, question, "Yes, erase my data")
    [kept] = await _replies(bot)
    assert kept.params["text"] == "Ci sono anch'io", "only Maria's reply is erased"
    assert "Maria" not in repr([d.params for d in await _replies(bot)])


async def test_retention_removes_old_replies_to_tutors_and_privacy_says_so(
    trust: Trust,
) -> None:
    bot = trust.bot
    await _reply(trust, MARIA, "Arrivo alle 9")
    async with bot.sessions() as session:
        [reply] = await session.scalars(
            select(Delivery).where(Delivery.message_key == VOLUNTEER_REPLY.message_key)
        )
        reply.status = "sent"
        await session.commit()
    async with bot.sessions() as session:
        await retention.purge_expired(session, bot.clock.now() + retention.DELIVERIES)
    assert len(await _replies(bot)) == 1, "not yet past its period"
    async with bot.sessions() as session:
        later = bot.clock.now() + retention.DELIVERIES + timedelta(days=1)
        await retention.purge_expired(session, later)
    assert await _replies(bot) == []
    [notice] = await bot.say(MARIA, "/privacy", language_code="en")
    assert "A reply you write to a tutor's message is passed on to that tutor" in notice["text"]
    assert "your replies passed on to a tutor, 30 days" in notice["text"]
