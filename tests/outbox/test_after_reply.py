"""The outbox leaves a chat alone for PER_CHAT_INTERVAL after the bot answered in it,
whichever process answered (here a `run` process, with this sender in another)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.notices import replies
from bot.outbox import queue as outbox
from bot.services.people import users
from tests.outbox.rig import Starter

ANSWERED, QUIET = 61, 62


async def test_the_sender_waits_after_a_reply_recorded_by_another_process(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox(per_chat_interval=30)
    for user in (ANSWERED, QUIET):
        rig.emulator.register_user(user, language_code="en")
        async with rig.sessions() as session:
            await users.record_visit(session, user, "en", rig.clock.now())
    async with rig.sessions() as session:  # what the answering process writes
        await outbox.record_replies(session, [ANSWERED], at=datetime.now(UTC))
    await rig.queue(ANSWERED, "after-reply:61")
    await rig.queue(QUIET, "after-reply:62")
    await rig.wait_settled(1)
    await asyncio.sleep(0.3)  # the sender has had every chance to send the other one
    assert rig.emulator.bot_message_count(QUIET) == 1
    assert rig.emulator.bot_message_count(ANSWERED) == 0
    statuses = {row.recipient_id: row.status for row in await rig.deliveries()}
    assert statuses == {ANSWERED: "sending", QUIET: "sent"}


async def test_replies_held_for_one_chat_keep_their_order_through_a_429(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox()
    rig.emulator.register_user(ANSWERED, language_code="en")
    rig.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    async with rig.sessions() as session:
        for text in ("first", "second"):
            await replies.DEFERRED.queue(
                session,
                replies.DEFERRED.key(),
                recipient_id=ANSWERED,
                params={"text": text},
                now=rig.clock.now(),
            )
        await session.commit()
    await rig.wait_settled(2)
    assert [m["text"] for m in rig.emulator.bot_messages(ANSWERED)] == ["first", "second"]
