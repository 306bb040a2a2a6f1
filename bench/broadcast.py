"""An announcement to many people through /broadcast: rate, 429s, duplicates, losses, memory.

What it measures
    ``--recipients`` users are written into a fresh database and made known to the Bot API
    emulator, which runs in this process and enforces ``--limit`` messages in any sliding
    second overall (just above ``BROADCAST_RATE`` = ``--rate``), answering 429 beyond that
    (each recipient gets one message, so the per-chat limit plays no part).
    ``quartiere-bot run`` runs in a process of its own against it over HTTP on 127.0.0.1.
    The admin composes the announcement in Telegram as a person would (/broadcast, the
    text, Everyone, Now, Not urgent, Send), and the run ends when every recipient has it
    and the final report has reached the admin (or at a deadline of twice the expected
    duration plus a minute). Then:

    achieved rate   announcements delivered / (last send - first send), from the
                    emulator's clock when it accepted each sendMessage
    ratio           achieved rate / BROADCAST_RATE
    429s            sends the emulator refused for its flood limits
    duplicates      messages beyond one per recipient
    losses          recipients without the announcement at the end
    peak RSS        the bot process's high-water mark (VmHWM), read just before it stops;
                    with ``--sender separate`` (OUTBOX_SENDER=separate) a ``quartiere-bot
                    send`` process sends the announcement, and its peak is reported too

    Targets: ratio at least 0.95, no 429, no loss, no duplicate, peak RSS under 150 MB;
    reported either way.

How to run (from the repository root)
    .venv/bin/python bench/broadcast.py                        # 10,000 recipients, SQLite
    .venv/bin/python bench/broadcast.py --recipients 2000 --databases sqlite postgresql
    .venv/bin/python bench/broadcast.py --sender separate
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from emulator import BotApiEmulator, EmulatorServer
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import User

REPOSITORY = Path(__file__).resolve().parent.parent
ADMIN = 9_999_999
FIRST_RECIPIENT = 20_000_000
TEXT = "📣 <b>Casa di quartiere chiusa</b> domani per lavori."
TARGET_RATIO = 0.95
TARGET_RSS_MB = 150.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def add_recipients(database_url: str, emulator: BotApiEmulator, count: int) -> list[int]:
    await migrate.upgrade(database_url)
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    people = list(range(FIRST_RECIPIENT, FIRST_RECIPIENT + count))
    async with create_session_factory(engine)() as session:
        for start in range(0, count, 1000):
            session.add_all(
                User(telegram_id=p, telegram_locale="it", created_at=now, last_seen_at=now)
                for p in people[start : start + 1000]
            )
            await session.flush()
        await session.commit()
    await engine.dispose()
    for person in people:
        emulator.register_user(person, language_code="it")
    return people


@contextlib.asynccontextmanager
async def bot_process(
    env: dict[str, str], cwd: Path, command: str = "run"
) -> AsyncIterator[asyncio.subprocess.Process]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", command, env=env, cwd=cwd, stderr=log
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=60)
        log.seek(0)
        tail = log.read().decode()[-1500:]
        log.close()
        if process.returncode not in (0, None):
            print(f"{command} exited with {process.returncode}:\n{tail}", file=sys.stderr)


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def with_button(emulator: BotApiEmulator, label: str) -> dict[str, Any] | None:
    for message in reversed(emulator.bot_messages(ADMIN)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if any(button["text"] == label for row in rows for button in row):
            return message
    return None


async def tap(emulator: BotApiEmulator, label: str, then: str) -> None:
    try:
        await emulator.wait_until(lambda: with_button(emulator, label), timeout=120, what=label)
    except TimeoutError:
        print([m.get("text") for m in emulator.bot_messages(ADMIN)], file=sys.stderr)
        raise
    message = with_button(emulator, label)
    assert message is not None
    emulator.user_presses_label(ADMIN, message["message_id"], label)
    await emulator.wait_until(lambda: with_button(emulator, then), timeout=120, what=then)


async def compose(emulator: BotApiEmulator) -> None:
    """The admin's /broadcast, as they would tap it in Telegram."""
    emulator.user_sends_text(ADMIN, "/broadcast", language_code="en")
    await emulator.wait_for_bot_message(ADMIN, timeout=120)
    emulator.user_sends_text(ADMIN, TEXT.replace("<b>", "").replace("</b>", ""))
    await tap(emulator, "Next: the audience ➡️", "Everyone")
    await tap(emulator, "Everyone", "Next: when ➡️")
    await tap(emulator, "Next: when ➡️", "Now")
    await tap(emulator, "Now", "Not urgent")
    await tap(emulator, "Not urgent", "✅ Send")
    await tap(emulator, "✅ Send", "✖️ Cancel the sending")


async def run_once(database: str, database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    # Only the global limit: each recipient gets one message, the admin a few in a row.
    emulator = BotApiEmulator(global_rate=args.limit)
    server = EmulatorServer(emulator)
    await server.start()
    people = await add_recipients(database_url, emulator, args.recipients)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
        "BOT_TOKEN": emulator.token,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": database_url,
        "ADMIN_IDS": str(ADMIN),
        "BROADCAST_RATE": str(args.rate),
        "TELEGRAM_RATE_LIMIT": str(args.limit),
        "QUIET_HOURS": "",
        "HEALTH_LISTEN": f"127.0.0.1:{free_port()}",
        "POLLING_TIMEOUT": "1",
        "LOG_LEVEL": "WARNING",
        "OUTBOX_SENDER": args.sender,
    }
    deadline = 2 * args.recipients / args.rate + 60
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as cwd:
        async with contextlib.AsyncExitStack() as stack:
            process = await stack.enter_async_context(bot_process(env, Path(cwd)))
            sender = None
            if args.sender == "separate":
                sender = await stack.enter_async_context(bot_process(env, Path(cwd), "send"))
            await compose(emulator)
            with contextlib.suppress(TimeoutError):
                await emulator.wait_until(
                    lambda: "is over" in emulator.last_bot_message(ADMIN).get("text", ""),
                    timeout=deadline,
                )
            rss = peak_rss_mb(process.pid)
            sender_rss = peak_rss_mb(sender.pid) if sender is not None else None
    await server.stop()
    wanted = set(people)
    sends = [
        call
        for call in emulator.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") in wanted
    ]
    per_person = Counter(call.params["chat_id"] for call in sends)
    times = sorted(call.time for call in sends)
    rate = (len(sends) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return {
        "database": database,
        "delivered": len(per_person),
        "rate": rate,
        "ratio": rate / args.rate,
        "429s": emulator.too_many_requests,
        "duplicates": sum(per_person.values()) - len(per_person),
        "losses": len(wanted - set(per_person)),
        "peak_rss_mb": rss,
        "sender_rss_mb": sender_rss,
        "load": (load_before, os.getloadavg()[0]),
    }


async def main(args: argparse.Namespace) -> None:
    results = []
    for database in args.databases:
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite+aiosqlite:///{folder}/bench.db"
                results.append(await run_once(database, url, args))
        else:
            reason = await postgres_unreachable(args.postgres_url)
            if reason:
                print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
                continue
            async with postgres_database(args.postgres_url) as url:
                results.append(await run_once(database, url, args))
    print(
        f"{args.recipients} recipients, BROADCAST_RATE {args.rate}, emulator limit {args.limit}/s"
    )
    print(
        "| database | sender | delivered | rate/s | ratio | 429s | duplicates | losses "
        "| peak RSS run | peak RSS send | load |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        sender_rss = r["sender_rss_mb"]
        send_column = "–" if sender_rss is None else f"{sender_rss:.0f} MB"
        print(
            f"| {r['database']} | {args.sender} | {r['delivered']} | {r['rate']:.2f} "
            f"| {r['ratio']:.3f} | {r['429s']} | {r['duplicates']} | {r['losses']} "
            f"| {r['peak_rss_mb']:.0f} MB | {send_column} "
            f"| {r['load'][0]:.1f} → {r['load'][1]:.1f} |"
        )
        misses = [
            text
            for text, missed in (
                (f"ratio {r['ratio']:.3f}", r["ratio"] < TARGET_RATIO),
                (f"{r['429s']} 429s", r["429s"]),
                (f"{r['losses']} losses", r["losses"]),
                (f"{r['duplicates']} duplicates", r["duplicates"]),
                (f"peak RSS {r['peak_rss_mb']:.0f} MB", r["peak_rss_mb"] >= TARGET_RSS_MB),
                (
                    f"sender peak RSS {send_column}",
                    sender_rss is not None and sender_rss >= TARGET_RSS_MB,
                ),
            )
            if missed
        ]
        print(
            f"{r['database']}: targets " + ("met" if not misses else "missed: " + ", ".join(misses))
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE")
    parser.add_argument("--limit", type=float, default=26.0, help="the emulator's global limit")
    parser.add_argument("--databases", nargs="+", default=["sqlite"])
    parser.add_argument(
        "--sender",
        choices=["inline", "separate"],
        default="inline",
        help="OUTBOX_SENDER: the bot sends (inline) or a `quartiere-bot send` process does",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    os.chdir(REPOSITORY)
    started = time.monotonic()
    asyncio.run(main(parser.parse_args()))
    print(f"({time.monotonic() - started:.0f} s in all)")
