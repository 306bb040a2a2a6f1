"""The outbox across processes: crashes, restarts and two bots sharing one database."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.outbox import queue as outbox
from bot.outbox.sender import MAX_IN_FLIGHT
from emulator import BotApiEmulator, EmulatorServer
from storage.db import create_engine, create_session_factory
from storage.models import Delivery
from tests.support.process import BotProcess, bot_environment, free_port, run_cli


async def queue_many(database_url: str, recipients: range) -> None:
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session:
        for recipient in recipients:
            await outbox.queue(
                session,
                recipient_id=recipient,
                kind="test",
                message_key="staff.appointed",
                params={"role": "admin"},
                dedup_key=f"crash:{recipient}",
                due_at=now,
                now=now,
            )
        await session.commit()
    await engine.dispose()


def sent_to(emulator: BotApiEmulator, recipients: range) -> list[int]:
    return [emulator.bot_message_count(recipient) for recipient in recipients]


async def ready(
    server: EmulatorServer, database_url: str, cwd: Path, recipients: range, **settings: str
) -> dict[str, str]:
    """Recipients known to Telegram, a migrated database, and the bot's environment."""
    for recipient in recipients:
        server.emulator.register_user(recipient)
    env = bot_environment(server.url, server.emulator.token, database_url, **settings)
    assert (await run_cli("migrate", env=env, cwd=cwd))[0] == 0
    return env


async def test_sigkill_mid_batch_then_restart_skips_nobody(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    recipients = range(5000, 5120)
    env = await ready(
        server,
        database_url,
        tmp_path,
        recipients,
        BROADCAST_RATE="20",
        OUTBOX_TICK="0.2",
        OUTBOX_LEASE="2s",
    )
    await queue_many(database_url, recipients)
    first = BotProcess(env, tmp_path)
    await first.start()
    await emulator.wait_until(lambda: sum(sent_to(emulator, recipients)) >= 30, timeout=30)
    assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
    delivered_before_crash = sum(1 for n in sent_to(emulator, recipients) if n)
    assert delivered_before_crash < len(recipients)

    second = BotProcess(env, tmp_path)
    await second.start()
    try:
        await emulator.wait_until(lambda: all(sent_to(emulator, recipients)), timeout=40)
        await asyncio.sleep(1)
    finally:
        code = await second.stop()
    assert code == 0, second.log
    counts = sent_to(emulator, recipients)
    assert min(counts) == 1  # nobody skipped
    duplicates = sum(counts) - len(recipients)
    assert duplicates <= MAX_IN_FLIGHT, duplicates


async def test_two_bots_sharing_one_database_never_send_the_same_delivery(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    recipients = range(6000, 6100)
    env = await ready(
        server, database_url, tmp_path, recipients, BROADCAST_RATE="10", OUTBOX_TICK="0.1"
    )
    bots = [
        BotProcess({**env, "HEALTH_LISTEN": f"127.0.0.1:{free_port()}"}, tmp_path / name)
        for name in ("a", "b")
    ]
    for bot in bots:
        bot.cwd.mkdir()
        await bot.start()
    await queue_many(database_url, recipients)
    try:
        await emulator.wait_until(lambda: all(sent_to(emulator, recipients)), timeout=40)
        await asyncio.sleep(1)
    finally:
        codes = [await bot.stop() for bot in bots]
    assert codes == [0, 0], [bot.log[-2000:] for bot in bots]
    assert sent_to(emulator, recipients) == [1] * len(recipients)
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        from sqlalchemy import func, select

        from storage.models import Delivery

        senders = await session.scalar(select(func.count(func.distinct(Delivery.claimed_by))))
    await engine.dispose()
    assert senders == 2  # both processes took part


async def test_an_appointment_made_on_the_command_line_reaches_the_new_tutor(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    emulator.register_user(4242, language_code="it")
    env = bot_environment(server.url, emulator.token, database_url, OUTBOX_TICK="0.2")
    assert (await run_cli("sample-data", env=env, cwd=tmp_path))[0] == 0
    bot = BotProcess(env, tmp_path)
    await bot.start()
    try:
        await bot.wait_healthy()
        code, _, err = await run_cli(
            "staff",
            "add",
            "4242",
            "--role",
            "tutor",
            "--project",
            "ago-filo-spid",
            env=env,
            cwd=tmp_path,
        )
        assert code == 0, err
        notice = await emulator.wait_for_bot_message(4242, timeout=15)
    finally:
        assert await bot.stop() == 0
    assert notice["text"] == "Ora sei tutor di: Ago, Filo e Spid."


async def test_run_with_a_separate_sender_leaves_the_sending_to_the_send_process(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    emulator = server.emulator
    recipients = range(7000, 7010)
    env = await ready(
        server, database_url, tmp_path, recipients, OUTBOX_TICK="0.2", OUTBOX_SENDER="separate"
    )
    bot = BotProcess(env, tmp_path)
    sender = BotProcess(env, tmp_path, command="send")
    await bot.start()
    try:
        await bot.wait_healthy()
        await queue_many(database_url, recipients)
        await asyncio.sleep(1.5)
        assert sent_to(emulator, recipients) == [0] * len(recipients)  # run does not send
        await sender.start()
        await emulator.wait_until(lambda: all(sent_to(emulator, recipients)), timeout=30)
        await asyncio.sleep(1)
    finally:
        codes = [await sender.stop(), await bot.stop()]
    assert codes == [0, 0], [sender.log[-2000:], bot.log[-2000:]]
    assert sent_to(emulator, recipients) == [1] * len(recipients)
    assert sender.process is not None
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        claimed_by = set(await session.scalars(select(Delivery.claimed_by)))
    await engine.dispose()
    assert {worker.split(":")[1] for worker in claimed_by if worker} == {  # host:pid:start
        str(sender.process.pid)
    }


async def test_the_send_process_exits_2_when_the_token_is_refused(
    server: EmulatorServer, database_url: str, tmp_path: Path
) -> None:
    env = bot_environment(server.url, "123456:not-the-token", database_url)
    code, _, err = await run_cli("send", env=env, cwd=tmp_path)
    assert code == 2, err
    assert "401 Unauthorized" in err
