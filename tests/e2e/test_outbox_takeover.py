"""A sender killed mid-announcement: its claims pass on within seconds, nobody is skipped.

`quartiere-bot run` or `send` is SIGKILLed while sending a 600-recipient announcement and
started again with the same host name and PID, as a restarted container is (OUTBOX_HOST_PID
stands in for both); or a second sender is running beside it. The deliveries the dead
process had claimed go out within seconds (10 s in `bench/sender.py --crash`), and only
those in flight at the kill go twice.
Two live senders, by contrast, never take each other's backlog, however long it waits.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.outbox import queue as outbox
from bot.outbox.sender import MAX_IN_FLIGHT
from emulator import BotApiEmulator, EmulatorServer
from storage.db import create_engine, create_session_factory
from storage.models import Delivery, DeliveryStatus, User
from tests.support.process import BotProcess, bot_environment, free_port, run_cli

CROWD = range(40_000, 40_600)
HOST_PID = "quartiere:1"
# Seconds within which the claims of a dead sender go out. The target, 10 s, is measured by
# `bench/sender.py --crash` (BENCHMARKS.md); on a machine busy with the parallel suite this bound
# only has to tell the heartbeat from the old 60 s lease, which never ran out for a restart
# with the same host name and PID.
TAKEOVER = 30.0


async def add_people(database_url: str, emulator: BotApiEmulator) -> None:
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session:
        for telegram_id in CROWD:
            emulator.register_user(telegram_id, language_code="it")
            session.add(
                User(
                    telegram_id=telegram_id, telegram_locale="it", created_at=now, last_seen_at=now
                )
            )
        await session.commit()
    await engine.dispose()


async def claimed(database_url: str) -> dict[int, str]:
    """The recipients of the deliveries being sent, with who claimed each."""
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        rows = await session.execute(
            select(Delivery.recipient_id, Delivery.claimed_by).where(
                Delivery.status == DeliveryStatus.SENDING
            )
        )
        found = {recipient: str(worker) for recipient, worker in rows}
    await engine.dispose()
    return found


async def workers(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        found = set(await session.scalars(select(Delivery.claimed_by).distinct()))
    await engine.dispose()
    return {str(worker) for worker in found if worker}


async def until_nothing_claimed_by(worker: str, database_url: str) -> float:
    """Waits until `worker` holds no claim; returns when."""
    deadline = time.monotonic() + 60
    while worker in (await claimed(database_url)).values():
        assert time.monotonic() < deadline, "the claims were never taken over"
        await asyncio.sleep(0.1)
    return time.monotonic()


def counts(emulator: BotApiEmulator) -> list[int]:
    return [emulator.bot_message_count(person) for person in CROWD]


def last_arrival(emulator: BotApiEmulator, recipients: Iterable[int], since: float) -> float:
    """When the last of these recipients got their first message after `since`."""
    wanted = set(recipients)
    first: dict[int, float] = {}
    for call in emulator.calls_to("sendMessage"):
        chat = int(call.params["chat_id"])
        if call.ok and call.time >= since and chat in wanted:
            first.setdefault(chat, call.time)
    assert set(first) == wanted, sorted(wanted - set(first))[:10]
    return max(first.values())


def started_at(emulator: BotApiEmulator, spawned: float) -> float:
    """When a process spawned at `spawned` was up: its first call to Telegram (getMe).

    The seconds Python takes to start on a busy machine are not the outbox's to count.
    """
    return min(call.time for call in emulator.calls_to("getMe") if call.time >= spawned)


@dataclass
class Crash:
    """What a SIGKILL left behind: the dead worker's claims, and which were already sent."""

    worker: str
    waiting: set[int]  # claimed, not yet sent: they must go out after the kill
    in_flight: set[int]  # sent, outcome not written: they may go twice
    at: float


async def kill_mid_announcement(
    process: BotProcess, emulator: BotApiEmulator, database_url: str
) -> Crash:
    await emulator.wait_until(lambda: sum(counts(emulator)) >= 100, timeout=60)
    assert await process.stop(signal.SIGKILL) == -signal.SIGKILL
    at = time.monotonic()
    await asyncio.sleep(0.5)  # requests already on the wire arrive
    held = await claimed(database_url)
    assert process.process is not None
    mine = {r: w for r, w in held.items() if w.split(":")[1] == str(process.process.pid)}
    if process.env.get("OUTBOX_HOST_PID"):
        mine = held
    [worker] = set(mine.values())
    reached = {person for person, count in zip(CROWD, counts(emulator), strict=True) if count}
    assert len(reached) < len(CROWD)
    return Crash(worker, set(mine) - reached, set(mine) & reached, at)


async def ready(
    server: EmulatorServer, database_url: str, cwd: Path, **extra: str
) -> dict[str, str]:
    env = bot_environment(
        server.url,
        server.emulator.token,
        database_url,
        BROADCAST_RATE="40",
        OUTBOX_TICK="0.2",
        QUIET_HOURS="",  # the test may run at night
        **extra,
    )
    assert (await run_cli("migrate", env=env, cwd=cwd))[0] == 0
    await add_people(database_url, server.emulator)
    return env


async def announce(env: dict[str, str], cwd: Path) -> None:
    code, _, err = await run_cli(
        "broadcast", "--text", "Notizia importante", "--yes", env=env, cwd=cwd
    )
    assert code == 0, err


def assert_everyone_reached_once(emulator: BotApiEmulator, crash: Crash) -> None:
    assert min(counts(emulator)) == 1  # nobody skipped
    duplicates = sum(counts(emulator)) - len(CROWD)
    assert duplicates <= len(crash.in_flight) <= MAX_IN_FLIGHT, duplicates


# Two bot processes start one after the other: on a busy machine that takes minutes.
@pytest.mark.timeout(360)
@pytest.mark.parametrize("command", ["run", "send"])
async def test_a_restart_with_the_same_host_and_pid_sends_the_dead_claims_within_seconds(
    command: str, server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    separate = {"OUTBOX_SENDER": "separate"} if command == "send" else {}
    env = await ready(server, database_url, tmp_path, OUTBOX_HOST_PID=HOST_PID, **separate)
    first = BotProcess(env, tmp_path, command=command)
    await first.start()
    await announce(env, tmp_path)
    crash = await kill_mid_announcement(first, emulator, database_url)
    assert crash.waiting

    spawned = time.monotonic()
    second = BotProcess(env, tmp_path, command=command)
    await second.start()
    try:
        await emulator.wait_until(lambda: all(counts(emulator)), timeout=120)
        restarted = started_at(emulator, spawned)
        await asyncio.sleep(1)  # a double would arrive by now
    finally:
        code = await second.stop()
    assert code == 0, second.log[-2000:]
    assert last_arrival(emulator, crash.waiting, restarted) - restarted <= TAKEOVER
    assert_everyone_reached_once(emulator, crash)
    after = await workers(database_url) - {crash.worker}
    assert len(after) == 1 and after.pop().startswith(f"{HOST_PID}:")  # a worker of its own


@pytest.mark.timeout(360)
async def test_killing_one_of_two_senders_hands_its_claims_to_the_other_within_seconds(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    env = await ready(server, database_url, tmp_path, OUTBOX_SENDER="separate")
    senders = [
        BotProcess({**env, "HEALTH_LISTEN": f"127.0.0.1:{free_port()}"}, tmp_path, "send")
        for _ in range(2)
    ]
    for sender in senders:
        await sender.start()
    await announce(env, tmp_path)
    try:
        crash = await kill_mid_announcement(senders[0], emulator, database_url)
        handed_over = await until_nothing_claimed_by(crash.worker, database_url)
        await emulator.wait_until(lambda: all(counts(emulator)), timeout=120)
        await asyncio.sleep(1)
    finally:
        code = await senders[1].stop()
    assert code == 0, senders[1].log[-2000:]
    assert handed_over - crash.at <= TAKEOVER
    assert_everyone_reached_once(emulator, crash)


async def test_two_live_senders_never_take_each_others_backlog_however_old(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    # Each holds 5 x 4 + 10 = 30 deliveries, six seconds of sending at 5 a second: far
    # longer than a one-second lease, which only renewals keep from running out.
    emulator = server.emulator
    recipients = range(41_000, 41_060)
    env = bot_environment(
        server.url,
        emulator.token,
        database_url,
        BROADCAST_RATE="5",
        OUTBOX_TICK="0.2",
        OUTBOX_LEASE="1s",
        PER_CHAT_INTERVAL="0",
    )
    assert (await run_cli("migrate", env=env, cwd=tmp_path))[0] == 0
    senders = [
        BotProcess({**env, "HEALTH_LISTEN": f"127.0.0.1:{free_port()}"}, tmp_path, "send")
        for _ in range(2)
    ]
    for sender in senders:
        await sender.start()
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session:
        for recipient in recipients:
            emulator.register_user(recipient)
            await outbox.queue(
                session,
                recipient_id=recipient,
                kind="test",
                message_key="staff.appointed",
                params={"role": "admin"},
                dedup_key=f"backlog:{recipient}",
                due_at=now,
                now=now,
            )
        await session.commit()
    await engine.dispose()
    try:
        await emulator.wait_until(
            lambda: all(emulator.bot_message_count(r) for r in recipients), timeout=120
        )
        await asyncio.sleep(2)  # a double would arrive by now
    finally:
        codes = [await sender.stop() for sender in senders]
    assert codes == [0, 0], [sender.log[-2000:] for sender in senders]
    assert [emulator.bot_message_count(r) for r in recipients] == [1] * len(recipients)
    assert len(await workers(database_url)) == 2  # both sent
