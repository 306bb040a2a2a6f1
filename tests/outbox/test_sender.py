"""The outbox sender against the emulator: language, de-duplication, limits and faults."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta

from bot.outbox import queue as outbox
from bot.services.people import users
from tests.outbox.rig import Starter

ADMIN_IT = "Ora puoi amministrare il programma di volontariato."
ADMIN_EN = "You have been appointed admin of the volunteering programme."


async def test_a_notice_is_rendered_in_the_recipients_language_at_send_time(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox()
    rig.emulator.register_user(41, language_code="it")
    rig.emulator.register_user(42, language_code="it")
    async with rig.sessions() as session:
        await users.record_visit(session, 41, "it", rig.clock.now())
        await users.record_visit(session, 42, "it", rig.clock.now())
    later = rig.clock.now() + timedelta(hours=1)
    await rig.queue(41, "lang:41", due_at=later)
    await rig.queue(42, "lang:42", due_at=later)
    async with rig.sessions() as session:  # 42 switches to English after the queueing
        await users.choose_language(session, 42, "en")
    rig.clock.set(later)
    await rig.wait_settled(2)
    assert rig.emulator.last_bot_message(41)["text"] == ADMIN_IT
    assert rig.emulator.last_bot_message(42)["text"] == ADMIN_EN


async def test_the_same_notice_is_queued_and_sent_once(start_outbox: Starter) -> None:
    rig = await start_outbox()
    rig.emulator.register_user(43)
    assert await rig.queue(43, "once:43") is True
    assert await rig.queue(43, "once:43") is False
    [delivery] = await rig.wait_settled(1)
    await asyncio.sleep(0.3)
    assert delivery.status == "sent"
    assert rig.emulator.bot_message_count(43) == 1


async def test_urgent_deliveries_leave_first(start_outbox: Starter) -> None:
    rig = await start_outbox(broadcast_rate=5)
    for user in range(500, 510):
        rig.emulator.register_user(user)
    due = rig.clock.now() + timedelta(seconds=1)  # all due at once, whatever the insert order
    for user in range(500, 509):
        await rig.queue(user, f"bulk:{user}", due_at=due, priority=outbox.BULK)
    await rig.queue(509, "urgent", due_at=due, priority=outbox.URGENT)
    await rig.wait_settled(10)
    order = [call.params["chat_id"] for call in rig.emulator.calls_to("sendMessage") if call.ok]
    assert order[0] == 509
    assert sorted(order) == list(range(500, 510))


async def test_global_and_per_chat_limits_are_kept_without_a_single_429(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox(
        global_rate=10, per_chat_rate=1, broadcast_rate=9.5, telegram_rate_limit=10
    )
    chats = [601, 602, 603]
    others = list(range(700, 715))
    for user in chats + others:
        rig.emulator.register_user(user)
    for n in range(4):
        for chat in chats:
            await rig.queue(chat, f"limit:{chat}:{n}")
    for user in others:
        await rig.queue(user, f"limit:{user}")
    await rig.wait_settled(27, within=30)
    sends = [call for call in rig.emulator.calls_to("sendMessage") if call.ok]
    assert rig.emulator.too_many_requests == 0
    assert len(sends) == 27
    times = sorted(call.time for call in sends)
    assert all(b - a >= 0.999 for a, b in zip(times, times[10:], strict=False))
    per_chat: dict[int, list[float]] = defaultdict(list)
    for call in sends:
        per_chat[int(call.params["chat_id"])].append(call.time)
    for chat in chats:
        gaps = [b - a for a, b in zip(per_chat[chat], per_chat[chat][1:], strict=False)]
        assert min(gaps) >= 0.99, gaps


async def test_sending_starts_at_the_rate_leaving_room_for_the_bots_own_replies(
    start_outbox: Starter,
) -> None:
    # Telegram allows 10 a second; the outbox may use 8, and the bot has just answered an
    # admin with 3 messages of its own, as when an announcement is confirmed.
    rig = await start_outbox(global_rate=10, broadcast_rate=8, telegram_rate_limit=10)
    admin, recipients = 800, list(range(801, 821))
    for user in [admin, *recipients]:
        rig.emulator.register_user(user)
    for text in ("Preview", "Confirm?", "Sending…"):
        await rig.emulator.handle(
            rig.emulator.token, "sendMessage", {"chat_id": admin, "text": text}
        )
    for user in recipients:
        await rig.queue(user, f"announcement:{user}")
    await rig.wait_settled(len(recipients), within=30)

    assert rig.emulator.too_many_requests == 0
    sends = sorted(call.time for call in rig.emulator.calls_to("sendMessage") if call.ok)
    first_second = [t for t in sends[3:] if t - sends[3] < 1.0]
    assert len(first_second) <= 8 + 1


async def test_a_429_pauses_for_retry_after_and_the_message_still_goes_once(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox()
    rig.emulator.register_user(44)
    rig.emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    await rig.queue(44, "flood:44")
    [delivery] = await rig.wait_settled(1)
    calls = rig.emulator.calls_to("sendMessage")
    assert [call.ok for call in calls] == [False, True]
    assert calls[1].time - calls[0].time >= 1.95
    assert delivery.status == "sent" and delivery.attempts == 0


async def test_a_403_marks_the_user_unreachable_until_they_write_again(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox(per_chat_interval=0.0)
    rig.emulator.register_user(45)
    async with rig.sessions() as session:
        await users.record_visit(session, 45, "it", rig.clock.now())
    rig.emulator.user_blocks_bot(45)
    for n in range(3):
        await rig.queue(45, f"blocked:{n}")
    rows = await rig.wait_settled(3)
    assert [row.status for row in rows] == ["skipped"] * 3
    assert len(rig.emulator.calls_to("sendMessage")) == 1
    await rig.queue(45, "blocked:later")
    [*_, later] = await rig.wait_settled(4)
    assert later.status == "skipped"
    assert len(rig.emulator.calls_to("sendMessage")) == 1

    rig.emulator.user_unblocks_bot(45)
    async with rig.sessions() as session:  # they write to the bot again
        await users.record_visit(session, 45, "it", rig.clock.now())
    await rig.queue(45, "blocked:after-return")
    [*_, back] = await rig.wait_settled(5)
    assert back.status == "sent"


async def test_server_errors_are_retried_then_given_up_with_the_reason(
    start_outbox: Starter,
) -> None:
    rig = await start_outbox(outbox_max_attempts=3)
    rig.emulator.register_user(46)
    rig.emulator.register_user(47)
    rig.emulator.fail_next("sendMessage", 502, "Bad Gateway", times=1)
    await rig.queue(46, "flaky:46")
    [first] = await rig.wait_settled(1)
    assert first.status == "sent" and first.attempts == 1

    rig.emulator.fail_next("sendMessage", 502, "Bad Gateway", times=10)
    await rig.queue(47, "down:47")
    _, second = await rig.wait_settled(2)
    assert second.status == "failed"
    assert second.attempts == 3
    assert second.last_error is not None and "Bad Gateway" in second.last_error


async def test_a_refused_message_fails_at_once_with_the_reason(start_outbox: Starter) -> None:
    rig = await start_outbox()
    await rig.queue(48, "nobody:48")  # the user never opened a chat with the bot
    [delivery] = await rig.wait_settled(1)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error is not None and "chat not found" in delivery.last_error


async def test_a_restart_between_queueing_and_sending_sends_exactly_once(
    start_outbox: Starter,
) -> None:
    first = await start_outbox()
    for user in range(800, 820):
        first.emulator.register_user(user)
        await first.queue(user, f"restart:{user}", due_at=first.clock.now() + timedelta(hours=2))
    await asyncio.sleep(0.3)
    await first.stop()
    assert first.emulator.calls_to("sendMessage") == []

    clock = first.clock
    clock.set(clock.now() + timedelta(hours=2))
    second = await start_outbox(server=first.server, clock=clock)
    await second.wait_settled(20)
    await asyncio.sleep(0.3)
    assert [second.emulator.bot_message_count(u) for u in range(800, 820)] == [1] * 20


async def test_a_stop_mid_batch_hands_back_what_was_not_sent(start_outbox: Starter) -> None:
    first = await start_outbox(broadcast_rate=10)
    for user in range(900, 940):
        first.emulator.register_user(user)
        await first.queue(user, f"batch:{user}")
    await first.emulator.wait_until(lambda: len(first.emulator.calls_to("sendMessage")) >= 5)
    await first.stop()
    sent_before = len(first.emulator.calls_to("sendMessage"))
    assert sent_before < 40
    rows = await first.deliveries()
    assert {row.status for row in rows} <= {"sent", "pending"}

    second = await start_outbox(server=first.server, clock=first.clock, broadcast_rate=50)
    await second.wait_settled(40)
    await asyncio.sleep(0.3)
    assert [second.emulator.bot_message_count(u) for u in range(900, 940)] == [1] * 40
