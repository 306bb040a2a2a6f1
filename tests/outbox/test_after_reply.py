"""The outbox leaves a chat alone for PER_CHAT_INTERVAL after the bot answered in it,
whichever process answered (here a `run` process, with this sender in another)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

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
