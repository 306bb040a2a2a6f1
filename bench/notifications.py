"""Timed notices at scale: a large outbox backlog with one minute's worth of reminders due.

What it measures
    A fresh database gets ``--pending`` pending deliveries (100,000): ``--due`` of them
    (2,000, one per chat) due within one minute starting a minute after loading, the
    rest due over the next 30 days, as queued reminders and nudges would be. Then:

    tick cost       the claim a tick runs (`skip_unreachable_due` and `claim_due` of
                    storage/repositories/outbox.py, up to BROADCAST_RATE * 4 + 10 rows, as
                    bot/outbox/sender.py asks), timed ``CLAIM_SAMPLES`` times in a transaction that
                    is rolled back: once for a moment before the minute (nothing due: the
                    idle tick) and once for its end (2,000 due). On PostgreSQL the table is
                    analysed first (as autovacuum would) and the plan's nodes are printed.
    lag             the production sender (``bench/sender.py --worker``: ``running_outbox``
                    with its scheduler, system clock, OUTBOX_TICK ``--tick``) sends over HTTP
                    to the Bot API emulator, which allows R = ``--limit`` messages in any
                    second and one per chat. For each due delivery, in due order, the rate
                    limit alone would send it at ``ideal = max(due, previous ideal + 1 /
                    BROADCAST_RATE)``; the lag beyond the rate limit is the emulator's time of
                    acceptance minus that ideal. Printed as p50/p99, next to the plain lag
                    after the due time and the part the rate limit itself imposes.
    peak memory     the sender process's high-water mark (VmHWM), everything it imported
                    included.

    Also checked: every due delivery sent exactly once, and none of the later ones sent.
    Target: lag p99 within 2 s beyond the rate limit's own. Reported either way.

How to run (from the repository root; about 3 minutes per database)
    .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --pending 20000 --due 500 --databases sqlite

SQLite uses a fresh file in a temporary directory; PostgreSQL a fresh database on
``--postgres-url``, dropped at the end (skipped, with the reason, when unreachable).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
    from bench.sender import Options, SenderProcess, progress, table
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
    from sender import Options, SenderProcess, progress, table  # type: ignore[no-redef]
from bot.outbox import queue as outbox
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Delivery, User
from storage.repositories import outbox as outbox_repo

FIRST_USER_ID = 20_000_000
INSERT_BATCH = 5_000
CLAIM_SAMPLES = 20
LEAD = timedelta(seconds=60)  # from the end of loading to the first due time
WINDOW = timedelta(minutes=1)
TARGET_P99_BEYOND = 2.0


@dataclass
class Result:
    database: str
    pending: int
    due: int
    idle_claim_ms: float
    busy_claim_ms: float
    plan: str
    sent_due: int
    sent_later: int
    duplicates: int
    lag: tuple[float, float]  # p50, p99 after the due time
    imposed: tuple[float, float]  # the rate limit's own
    beyond: tuple[float, float]  # beyond the rate limit
    first_beyond: float  # of the first due delivery: start-up and tick latency
    achieved_rate: float  # messages / (last send - first send)
    started_before: float  # seconds between launching the sender and the first due time
    worker: dict[str, Any] = field(default_factory=dict)

    @property
    def peak_rss_mb(self) -> float:
        return float(self.worker.get("peak_rss_kb", 0)) / 1024

    @property
    def met(self) -> bool:
        complete = self.sent_due == self.due and not self.sent_later and not self.duplicates
        return complete and self.beyond[1] <= TARGET_P99_BEYOND


def row(recipient: int, key: str, due_at: datetime, now: datetime) -> dict[str, Any]:
    return {
        "recipient_id": recipient,
        "kind": "reminder",
        "priority": outbox.URGENT,
        "message_key": "staff.appointed",  # renders without catalog data
        "params": {"role": "admin"},
        "dedup_key": key,
        "due_at": due_at,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


async def load(url: str, args: argparse.Namespace) -> dict[int, datetime]:
    """Fills the outbox; returns each due delivery's recipient and due time."""
    await migrate.upgrade(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    chats = [FIRST_USER_ID + number for number in range(args.due)]
    later = [
        row(
            chats[number % len(chats)],
            f"later:{number}",
            now + timedelta(days=1) + timedelta(seconds=number * 25),  # ~30 days
            now,
        )
        for number in range(args.pending - args.due)
    ]
    try:
        async with sessions() as session:
            session.add_all(
                User(telegram_id=chat, telegram_locale="it", created_at=now, last_seen_at=now)
                for chat in chats
            )
            await session.commit()
        for start in range(0, len(later), INSERT_BATCH):
            async with sessions() as session:
                await session.execute(insert(Delivery), later[start : start + INSERT_BATCH])
                await session.commit()
        first_due = datetime.now(UTC) + LEAD
        step = WINDOW / args.due
        due = {chat: first_due + step * number for number, chat in enumerate(chats)}
        async with sessions() as session:
            await session.execute(
                insert(Delivery), [row(chat, f"due:{chat}", at, now) for chat, at in due.items()]
            )
            await session.commit()
    finally:
        await engine.dispose()
    return due


async def claim_cost(url: str, at: datetime, limit: int) -> float:
    """Median milliseconds of one tick's claim at `at`, rolled back each time."""
    engine = create_engine(url)
    samples = []
    try:
        async with create_session_factory(engine)() as session:
            for _ in range(CLAIM_SAMPLES):
                started = time.perf_counter()
                await outbox_repo.skip_unreachable_due(session, at)
                await outbox_repo.claim_due(session, at, at - timedelta(seconds=60), limit, "b")
                samples.append((time.perf_counter() - started) * 1000)
                await session.rollback()
    finally:
        await engine.dispose()
    return statistics.median(samples)


async def postgres_plan(url: str, at: datetime, limit: int) -> str:
    """ANALYZE, then the node types of the claim's plan (which index it uses)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE deliveries"))
            due = (
                select(Delivery.id)
                .where(Delivery.status == "pending", Delivery.due_at <= at)
                .order_by(Delivery.priority, Delivery.due_at, Delivery.id)
                .limit(limit)
            )
            compiled = due.compile(engine, compile_kwargs={"literal_binds": True})
            lines = await connection.execute(text(f"EXPLAIN {compiled}"))
            return "; ".join(line[0].strip().lstrip("-> ") for line in lines)
    finally:
        await engine.dispose()


def percentiles(values: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(values)
    if not ordered:
        return (float("nan"), float("nan"))
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def sent_counts(url: str) -> tuple[int, int]:
    """(due deliveries sent, later deliveries sent)."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            counts = [
                await session.scalar(
                    select(func.count()).where(
                        Delivery.status == "sent", Delivery.dedup_key.startswith(prefix)
                    )
                )
                for prefix in ("due:", "later:")
            ]
    finally:
        await engine.dispose()
    return int(counts[0] or 0), int(counts[1] or 0)


async def run(database: str, url: str, args: argparse.Namespace, workdir: Path) -> Result:
    from emulator import BotApiEmulator, EmulatorServer

    progress(f"{database}: loading {args.pending:,} pending deliveries")
    due = await load(url, args)
    limit = int(args.rate * 4) + 10
    first, last = min(due.values()), max(due.values())
    plan = await postgres_plan(url, last, limit) if database == "postgresql" else ""
    idle = await claim_cost(url, first - timedelta(seconds=1), limit)
    busy = await claim_cost(url, last, limit)
    progress(f"  claim: idle {idle:.1f} ms, with {args.due:,} due {busy:.1f} ms")
    started_before = first.timestamp() - time.time()
    emulator = BotApiEmulator(global_rate=args.limit, per_chat_rate=1, clock=time.time)
    for chat in due:
        emulator.register_user(chat)
    server = EmulatorServer(emulator)
    await server.start("127.0.0.1", 0)
    options = Options(args.due, args.due, args.rate, args.limit, args.tick, 1.0)
    sender = SenderProcess(options, server.url, url, workdir)
    try:
        await sender.start(emulator.token)
        deadline = last.timestamp() + args.due / args.rate + 120
        progress(f"  sending from {first:%H:%M:%S} UTC")
        while len({c.params["chat_id"] for c in emulator.calls_to("sendMessage") if c.ok}) < len(
            due
        ):
            if sender.exited() or time.time() > deadline:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # any stray or duplicate send
        worker = await sender.stop()
    finally:
        await sender.kill()
        await server.stop()
    result = analyse(database, args, due, emulator, await sent_counts(url), idle, busy, plan)
    result.worker, result.started_before = worker, started_before
    return result


def analyse(
    database: str,
    args: argparse.Namespace,
    due: dict[int, datetime],
    emulator: Any,
    sent: tuple[int, int],
    idle: float,
    busy: float,
    plan: str,
) -> Result:
    accepted: dict[int, list[float]] = {}
    for call in emulator.calls_to("sendMessage"):
        if call.ok:
            accepted.setdefault(int(call.params["chat_id"]), []).append(call.time)
    lag, imposed, beyond, sends = [], [], [], []
    ideal = 0.0
    for chat, due_at in sorted(due.items(), key=lambda item: item[1]):
        due_time = due_at.timestamp()
        ideal = max(due_time, ideal + 1 / args.rate)
        if chat in accepted:
            actual = accepted[chat][0]
            sends.append(actual)
            lag.append(actual - due_time)
            imposed.append(ideal - due_time)
            beyond.append(actual - ideal)
    return Result(
        database=database,
        pending=args.pending,
        due=args.due,
        idle_claim_ms=idle,
        busy_claim_ms=busy,
        plan=plan,
        sent_due=sent[0],
        sent_later=sent[1],
        duplicates=sum(len(times) - 1 for times in accepted.values()),
        lag=percentiles(lag),
        imposed=percentiles(imposed),
        beyond=percentiles(beyond),
        first_beyond=beyond[0] if beyond else float("nan"),
        achieved_rate=(len(sends) - 1) / (max(sends) - min(sends)) if len(sends) > 1 else 0.0,
        started_before=0.0,
    )


def report(results: Sequence[Result], skipped: dict[str, str], args: argparse.Namespace) -> str:
    header = [
        "database",
        "pending",
        "due in 1 min",
        "idle tick ms",
        "busy tick ms",
        "lag p50/p99 s",
        "rate limit's p50/p99 s",
        "beyond p50/p99 s",
        "first beyond s",
        "achieved/s",
        "sent once",
        "peak RSS MB",
        "target",
    ]
    rows = [header]
    for result in results:
        rows.append(
            [
                result.database,
                f"{result.pending:,}",
                f"{result.due:,}",
                f"{result.idle_claim_ms:.1f}",
                f"{result.busy_claim_ms:.1f}",
                f"{result.lag[0]:.2f} / {result.lag[1]:.2f}",
                f"{result.imposed[0]:.2f} / {result.imposed[1]:.2f}",
                f"{result.beyond[0]:.2f} / {result.beyond[1]:.2f}",
                f"{result.first_beyond:.2f}",
                f"{result.achieved_rate:.2f}",
                f"{result.sent_due:,} (+{result.duplicates} dup, {result.sent_later} early)",
                f"{result.peak_rss_mb:.1f}",
                "met" if result.met else "MISSED",
            ]
        )
    parts = [
        f"BROADCAST_RATE {args.rate:g}, R {args.limit:g}, OUTBOX_TICK {args.tick:g} s",
        table(rows) if results else "No run.",
    ]
    for result in results:
        if result.plan:
            parts.append(f"{result.database} claim plan: {result.plan}")
        cpu = float(result.worker.get("cpu_seconds", 0.0))
        wall = float(result.worker.get("wall_seconds", 0.0)) or 1.0
        parts.append(
            f"{result.database}: sender CPU {100 * cpu / wall:.0f} % of one core; sender "
            f"launched {result.started_before:.0f} s before the first due time"
        )
    parts += [f"{name}: {reason}" for name, reason in skipped.items()]
    parts.append(f"load average {os.getloadavg()[0]:.2f} at the end")
    return "\n".join(parts)


@contextlib.asynccontextmanager
async def sqlite_database(workdir: Path) -> AsyncIterator[str]:
    yield f"sqlite+aiosqlite:///{workdir / f'notifications_{secrets.token_hex(4)}.db'}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/notifications.py",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pending", type=int, default=100_000, help="pending (100000)")
    parser.add_argument("--due", type=int, default=2_000, help="of which due in one minute")
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE (25)")
    parser.add_argument("--limit", type=float, default=30.0, help="emulator's R per second (30)")
    parser.add_argument("--tick", type=float, default=1.0, help="OUTBOX_TICK in seconds (1.0)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, metavar="URL")
    args = parser.parse_args(argv)
    if not 0 < args.due <= args.pending:
        parser.error("--due must be positive and at most --pending")
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if set(args.databases) - {"sqlite", "postgresql"}:
        parser.error("--databases: sqlite and/or postgresql")
    return args


async def main_async(args: argparse.Namespace) -> int:
    results: list[Result] = []
    skipped: dict[str, str] = {}
    workdir = Path(tempfile.mkdtemp(prefix="qb_bench_notifications_"))
    try:
        for database in args.databases:
            context: contextlib.AbstractAsyncContextManager[str]
            if database == "postgresql":
                reason = await postgres_unreachable(args.postgres_url)
                if reason is not None:
                    skipped[database] = f"skipped, PostgreSQL unreachable ({reason})"
                    continue
                context = postgres_database(args.postgres_url)
            else:
                context = sqlite_database(workdir)
            async with context as url:
                results.append(await run(database, url, args, workdir))
            progress(report(results[-1:], {}, args))  # kept should a later run fail
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(report(results, skipped, args))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main_async(parse_args(sys.argv[1:]))))
