"""Outbox sender under Telegram's flood limits: achieved rate, 429s, duplicates, losses, memory.

What it measures
    ``--deliveries`` deliveries, all due now, are queued in the outbox table of a fresh
    database (one transaction per 1,000) for ``--chats`` users (by default one delivery per
    user; fewer chats make the per-chat limit bite). The production sender
    (``bot.runtime.send.running_sender``, what ``quartiere-bot send`` runs: OutboxSender over the
    aiogram-free Bot API client plus its APScheduler tick, every ``--tick`` seconds) then
    runs in a process of its own, ``python bench/sender.py --worker``, with
    ``BROADCAST_RATE`` = ``--rate``. It sends over HTTP on 127.0.0.1 to the Bot API emulator
    (emulator/), which runs in this process and enforces ``--limit`` R messages in any
    sliding second overall and one message per second per chat, answering 429 beyond that.
    Keeping the two apart makes the sender's memory and CPU its own and the emulator's clock
    independent of the sender's event loop.

    The run ends when the outbox table has nothing pending or being sent (or after a deadline
    of twice the expected duration plus a minute), one more second is left for stray sends,
    and the sender is stopped the way the bot stops on SIGTERM (``running_sender`` exits, the
    sends in flight finish). Then, per run:

    achieved rate   messages delivered / (time of the last send - time of the first send), both
                    taken from the emulator's clock when it accepted the sendMessage
    ratio           achieved rate / BROADCAST_RATE (when ``--chats`` is below BROADCAST_RATE,
                    the per-chat limit caps what is possible and the target is judged against
                    that ceiling instead)
    429s            sendMessage calls the emulator refused for flood limits
    duplicates      messages beyond one per delivery, counted per recipient
    losses          deliveries without their message in the recipient's chat, counted once the
                    table shows none pending or sending
    peak RSS        the sender process's high-water mark (VmHWM in /proc/self/status), so
                    everything it imported is included. Not ru_maxrss: on Linux a child's
                    ru_maxrss starts from its parent's peak, carried over by fork and exec

    Also printed: the rate between the 10th and the 90th percentile of sends (no warm-up, no
    tail); the median and the largest gap between two sends; the most sends the emulator
    accepted in one sliding second; the outbox table's final statuses; the CPU time of both
    processes and the host's load average (other work on the host slows the sender); the
    sender's RSS before sending and at the end; and, for reference, the peak RSS of a process
    that only imports aiogram.

    Targets: ratio at least 0.95, no 429, no loss, no duplicate, peak RSS under 150 MB. They
    are reported either way; the exit status is 0 unless something crashes.

Crash mode (``--crash``)
    The same start, with the sender's host and PID fixed (OUTBOX_HOST_PID) as in a container.
    Once ``--crash-after`` messages are in their chats the sender is SIGKILLed; half a second
    later (for the requests already on the wire) the table shows what it had claimed, and a
    new sender starts with the same host name and PID and runs until the outbox is empty.
    Reported, counted from the restart (the new process's start):

    takeover        until no delivery is claimed by the dead sender any more
    claimed sent    until the last of the dead sender's claimed deliveries that had not
                    reached its chat is there (also counted from the kill)
    in flight       the dead sender's claimed deliveries already in their chats at the kill:
                    sent, their outcome not yet written, so they go twice
    duplicates, losses   as above, over the whole run

    Targets: everything claimed sent within 10 s of the restart, duplicates no more than
    were in flight, no loss.

How to run (from the repository root)
    .venv/bin/python bench/sender.py                   # 10,000 deliveries, R=30, rate 29:
                                                       #   about 6 minutes per database
    .venv/bin/python bench/sender.py --deliveries 3000
    .venv/bin/python bench/sender.py --limit 200 --rate 195
    .venv/bin/python bench/sender.py --deliveries 1200 --chats 40 --databases sqlite
    .venv/bin/python bench/sender.py --crash --deliveries 1200 --crash-after 300

SQLite uses a fresh file in a temporary directory. PostgreSQL uses ``--postgres-url``, a
server where this user may create databases: a fresh database ``qb_bench_<random>`` is created
and dropped at the end; when the server cannot be reached, PostgreSQL is skipped with the
reason printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from bot.clock import SystemClock
from bot.outbox import queue as outbox
from bot.runtime.send import running_sender
from bot.settings import Settings
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Delivery, User

if TYPE_CHECKING:
    from emulator import BotApiEmulator

REPOSITORY = Path(__file__).resolve().parent.parent
FIRST_USER_ID = 10_000_000
QUEUE_BATCH = 1_000
POLL_INTERVAL = 0.5  # how often the driver reads the outbox table's statuses
STRAY_GRACE = 1.0  # seconds left for sends after the table is settled
STOP_TIMEOUT = 60.0
START_TIMEOUT = 60.0
TARGET_RATIO = 0.95
TARGET_RSS_MB = 150.0
STATUS_ORDER = ("sent", "failed", "skipped", "cancelled", "pending", "sending")
CRASH_HOST_PID = "bench-sender:1"  # the restarted sender's host name and PID, as the dead one's
WIRE_GRACE = 0.5  # seconds for the killed sender's last requests to reach the emulator
TARGET_CLAIMED_SENT = 10.0


class BenchmarkError(Exception):
    """The benchmark could not run (not a missed target)."""


@dataclass(frozen=True)
class Options:
    deliveries: int
    chats: int
    rate: float
    limit: float
    tick: float
    per_chat_interval: float

    @property
    def ceiling(self) -> float:
        """The best rate the limits allow: BROADCAST_RATE, unless too few chats."""
        if self.per_chat_interval <= 0:
            return self.rate
        return min(self.rate, self.chats / self.per_chat_interval)

    def expected_seconds(self) -> float:
        return self.deliveries / min(self.ceiling, self.limit)


@dataclass
class RunResult:
    database: str
    options: Options
    delivered: int
    achieved_rate: float
    steady_rate: float
    duration: float
    too_many_requests: int
    other_errors: int
    duplicates: int
    losses: int
    unmatched_sent: int  # rows marked sent whose message the emulator does not have
    max_gap: float
    median_gap: float
    busiest_second: int
    statuses: dict[str, int]
    timed_out: bool
    worker: dict[str, Any] = field(default_factory=dict)
    driver_cpu: float = 0.0  # this process (the emulator) while the sender ran
    driver_wall: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end

    @property
    def ratio(self) -> float:
        return self.achieved_rate / self.options.rate

    @property
    def peak_rss_mb(self) -> float:
        return float(self.worker.get("peak_rss_kb", 0)) / 1024

    def misses(self) -> list[str]:
        """The targets this run missed, in words; empty when all are met."""
        found = []
        ceiling = self.options.ceiling
        if self.achieved_rate / ceiling < TARGET_RATIO:
            base = "BROADCAST_RATE" if ceiling == self.options.rate else "the per-chat ceiling"
            found.append(f"rate {self.achieved_rate / ceiling:.3f} of {base}")
        if self.too_many_requests:
            found.append(f"{self.too_many_requests} 429s")
        if self.losses:
            found.append(f"{self.losses} losses")
        if self.duplicates:
            found.append(f"{self.duplicates} duplicates")
        if self.peak_rss_mb >= TARGET_RSS_MB:
            found.append(f"peak RSS {self.peak_rss_mb:.0f} MB")
        if self.timed_out:
            found.append("deadline reached before the outbox was empty")
        return found


# ---------------------------------------------------------------------------------------------
# The sender process


def rss_kb(field_name: str) -> int | None:
    """A memory figure of this process from /proc (VmRSS, VmHWM), in KiB; None elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


async def run_worker(args: argparse.Namespace) -> None:
    """Runs the production sender until a line (or EOF) on stdin, then reports on stdout."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    settings = Settings(
        _env_file=None,
        bot_token=os.environ["BENCH_BOT_TOKEN"],
        telegram_api_url=args.api_url,
        database_url=args.database_url,
        broadcast_rate=args.rate,
        telegram_rate_limit=args.limit,
        outbox_tick=args.tick,
        per_chat_interval=args.per_chat_interval,
        outbox_host_pid=args.host_pid,
    )
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    rss_ready, hwm_ready = rss_kb("VmRSS"), rss_kb("VmHWM")
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    try:
        async with running_sender(sessions, SystemClock(), settings):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stdin.readline(), timeout=args.lifetime)
    finally:
        await engine.dispose()
    rss_end = rss_kb("VmRSS")
    after = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "peak_rss_kb": rss_kb("VmHWM") or after.ru_maxrss,  # KiB
        "rss_ready_kb": rss_ready,  # after the imports, before the sender starts
        "hwm_ready_kb": hwm_ready,  # the peak so far: the imports' own
        "rss_end_kb": rss_end,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "wall_seconds": time.monotonic() - started,
    }
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


class SenderProcess:
    """``python bench/sender.py --worker`` with its log in a file."""

    def __init__(
        self,
        options: Options,
        api_url: str,
        database_url: str,
        workdir: Path,
        host_pid: str | None = None,
    ):
        lifetime = options.expected_seconds() * 3 + 300
        self.argv = [
            sys.executable,
            str(REPOSITORY / "bench" / "sender.py"),
            "--worker",
            "--api-url",
            api_url,
            "--database-url",
            database_url,
            "--rate",
            repr(options.rate),
            "--limit",
            repr(options.limit),
            "--tick",
            repr(options.tick),
            "--per-chat-interval",
            repr(options.per_chat_interval),
            "--lifetime",
            repr(lifetime),
        ]
        if host_pid is not None:
            self.argv += ["--host-pid", host_pid]
        self.log_path = workdir / f"sender-{secrets.token_hex(3)}.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, token: str) -> None:
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                env={**os.environ, "BENCH_BOT_TOKEN": token},
                cwd=REPOSITORY,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )

    def exited(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def stop(self) -> dict[str, Any]:
        """Asks the sender to stop and returns its report."""
        process = self.process
        if process is None or process.stdin is None or process.stdout is None:
            raise BenchmarkError("the sender was not started")
        if process.returncode is None:
            with contextlib.suppress(ConnectionError):
                process.stdin.write(b"stop\n")
                await process.stdin.drain()
                process.stdin.close()
        try:
            output = await asyncio.wait_for(process.stdout.read(), STOP_TIMEOUT)
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            await self.kill()
            raise BenchmarkError(f"the sender did not stop:\n{self.log_tail()}") from None
        if process.returncode != 0:
            raise BenchmarkError(
                f"the sender exited with status {process.returncode}:\n{self.log_tail()}"
            )
        lines = output.decode().strip().splitlines()
        if not lines:
            raise BenchmarkError(f"the sender reported nothing:\n{self.log_tail()}")
        report: dict[str, Any] = json.loads(lines[-1])
        return report

    async def kill(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()


# ---------------------------------------------------------------------------------------------
# Databases


@contextlib.asynccontextmanager
async def sqlite_database(workdir: Path) -> AsyncIterator[str]:
    path = workdir / f"outbox_{secrets.token_hex(4)}.db"
    yield f"sqlite+aiosqlite:///{path}"


def recipients(options: Options) -> list[int]:
    """The recipient of each delivery, round-robin over the chats."""
    return [FIRST_USER_ID + number % options.chats for number in range(options.deliveries)]


async def load_outbox(database_url: str, options: Options) -> None:
    """Migrates, adds the recipients as users and queues every delivery, due now."""
    await migrate.upgrade(database_url)
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    try:
        chats = sorted(set(recipients(options)))
        for start in range(0, len(chats), QUEUE_BATCH):
            async with sessions() as session:
                session.add_all(
                    User(telegram_id=chat, telegram_locale="it", created_at=now, last_seen_at=now)
                    for chat in chats[start : start + QUEUE_BATCH]
                )
                await session.commit()
        targets = recipients(options)
        for start in range(0, len(targets), QUEUE_BATCH):
            async with sessions() as session:
                for number in range(start, min(start + QUEUE_BATCH, len(targets))):
                    await outbox.queue(
                        session,
                        recipient_id=targets[number],
                        kind="bench",
                        message_key="staff.appointed",
                        params={"role": "admin"},
                        dedup_key=f"bench:{number}",
                        due_at=now,
                        now=now,
                        priority=outbox.BULK,
                    )
                await session.commit()
    finally:
        await engine.dispose()


async def outbox_statuses(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await outbox.status_counts(session)
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------------------------
# One run


async def wait_until_settled(
    database_url: str, sender: SenderProcess, deadline: float
) -> tuple[dict[str, int], bool]:
    """Polls the outbox table until nothing is pending or being sent; (statuses, timed out)."""
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            if sender.exited():
                raise BenchmarkError(f"the sender exited early:\n{sender.log_tail()}")
            async with sessions() as session:
                statuses = await outbox.status_counts(session)
            if statuses.get("pending", 0) + statuses.get("sending", 0) == 0:
                return statuses, False
            if time.monotonic() > deadline:
                return statuses, True
    finally:
        await engine.dispose()


async def bench_run(database: str, database_url: str, options: Options, workdir: Path) -> RunResult:
    from emulator import BotApiEmulator, EmulatorServer

    progress(
        f"{database}: {options.deliveries} deliveries to {options.chats} chats, "
        f"BROADCAST_RATE={options.rate:g}, R={options.limit:g}"
    )
    emulator = BotApiEmulator(global_rate=options.limit, per_chat_rate=1)
    for chat in sorted(set(recipients(options))):
        emulator.register_user(chat)
    server = EmulatorServer(emulator)
    await server.start("127.0.0.1", 0)
    sender = SenderProcess(options, server.url, database_url, workdir)
    try:
        progress("  queueing the deliveries")
        await load_outbox(database_url, options)
        progress(f"  sending (about {options.expected_seconds():.0f} s)")
        load_start = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        await sender.start(emulator.token)
        deadline = time.monotonic() + START_TIMEOUT + options.expected_seconds() * 2
        statuses, timed_out = await wait_until_settled(database_url, sender, deadline)
        await asyncio.sleep(STRAY_GRACE)
        after = resource.getrusage(resource.RUSAGE_SELF)
        driver_wall = time.monotonic() - started
        worker = await sender.stop()
        statuses = await outbox_statuses(database_url)
        result = await analyse(database, database_url, options, emulator, statuses, timed_out)
        result.worker = worker
        result.driver_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        result.driver_wall = driver_wall
        result.load = (load_start, os.getloadavg()[0])
        if invalid := len(emulator.invalid_calls):
            progress(f"  warning: {invalid} calls the emulator found invalid")
        progress(f"  done: {result.delivered} delivered, {result.achieved_rate:.2f}/s")
        return result
    finally:
        await sender.kill()
        await server.stop()


async def sent_message_ids(database_url: str) -> list[tuple[int, int, str, int | None]]:
    """(delivery id, recipient, status, Telegram message id) of every delivery."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            rows = await session.execute(
                select(
                    Delivery.id,
                    Delivery.recipient_id,
                    Delivery.status,
                    Delivery.telegram_message_id,
                )
            )
            return [(row[0], row[1], row[2], row[3]) for row in rows]
    finally:
        await engine.dispose()


async def analyse(
    database: str,
    database_url: str,
    options: Options,
    emulator: BotApiEmulator,
    statuses: dict[str, int],
    timed_out: bool,
) -> RunResult:
    calls = emulator.calls_to("sendMessage")
    accepted = [call for call in calls if call.ok]
    refused = [call for call in calls if not call.ok]
    messages_per_chat = Counter(int(call.params["chat_id"]) for call in accepted)
    expected_per_chat = Counter(recipients(options))
    duplicates = sum(
        max(0, count - expected_per_chat[chat]) for chat, count in messages_per_chat.items()
    )
    losses = sum(
        max(0, count - messages_per_chat[chat]) for chat, count in expected_per_chat.items()
    )
    received = {(call.result["chat"]["id"], call.result["message_id"]) for call in accepted}
    rows = await sent_message_ids(database_url)
    unmatched = sum(
        1
        for _, recipient, status, message_id in rows
        if status == "sent" and (recipient, message_id) not in received
    )
    times = sorted(call.time for call in accepted)
    delivered = len(accepted) - duplicates
    duration = times[-1] - times[0] if len(times) > 1 else 0.0
    achieved = delivered / duration if duration > 0 else 0.0
    low, high = int(len(times) * 0.1), int(len(times) * 0.9)
    steady = (high - low) / (times[high] - times[low]) if high > low + 1 else achieved
    gaps = sorted(b - a for a, b in itertools.pairwise(times))
    max_gap = gaps[-1] if gaps else 0.0
    median_gap = gaps[len(gaps) // 2] if gaps else 0.0
    return RunResult(
        database=database,
        options=options,
        delivered=delivered,
        achieved_rate=achieved,
        steady_rate=steady,
        duration=duration,
        too_many_requests=emulator.too_many_requests,
        other_errors=sum(1 for call in refused if call.error_code != 429),
        duplicates=duplicates,
        losses=losses,
        unmatched_sent=unmatched,
        max_gap=max_gap,
        median_gap=median_gap,
        busiest_second=busiest_second(times),
        statuses=statuses,
        timed_out=timed_out,
    )


def busiest_second(times: Sequence[float]) -> int:
    """The most calls in any window of one second (sorted times)."""
    best, first = 0, 0
    for last, moment in enumerate(times):
        while times[first] <= moment - 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


# ---------------------------------------------------------------------------------------------
# Crash mode


@dataclass
class CrashResult:
    database: str
    options: Options
    crash_after: int
    claimed: int  # deliveries the killed sender held
    in_flight: int  # of those, already in their chats at the kill
    takeover: float  # restart until the dead sender holds no claim
    claimed_sent: float  # restart until the last claimed delivery is in its chat
    claimed_sent_since_kill: float
    restart_gap: float  # kill until the restart
    duplicates: int
    losses: int
    statuses: dict[str, int]
    timed_out: bool

    def misses(self) -> list[str]:
        found = []
        if self.claimed_sent > TARGET_CLAIMED_SENT:
            found.append(f"claimed deliveries sent {self.claimed_sent:.1f} s after the restart")
        if self.duplicates > self.in_flight:
            found.append(f"{self.duplicates} duplicates, {self.in_flight} in flight")
        if self.losses:
            found.append(f"{self.losses} losses")
        if self.timed_out:
            found.append("deadline reached before the outbox was empty")
        return found


async def claims(database_url: str) -> dict[int, str]:
    """The recipients of the deliveries being sent, with who claimed each."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            rows = await session.execute(
                select(Delivery.recipient_id, Delivery.claimed_by).where(
                    Delivery.status == "sending"
                )
            )
            return {recipient: str(worker) for recipient, worker in rows}
    finally:
        await engine.dispose()


async def until_taken_over(database_url: str, dead: set[str], deadline: float) -> float:
    """Waits until none of the dead workers holds a claim; returns when (monotonic)."""
    while dead & set((await claims(database_url)).values()):
        if time.monotonic() > deadline:
            raise BenchmarkError("the dead sender's claims were never taken over")
        await asyncio.sleep(0.05)
    return time.monotonic()


def first_arrivals(emulator: BotApiEmulator, since: float) -> dict[int, float]:
    """Each chat's first accepted sendMessage at or after `since` (emulator's clock)."""
    first: dict[int, float] = {}
    for call in emulator.calls_to("sendMessage"):
        if call.ok and call.time >= since:
            first.setdefault(int(call.params["chat_id"]), call.time)
    return first


async def crash_run(
    database: str, database_url: str, options: Options, workdir: Path, crash_after: int
) -> CrashResult:
    from emulator import BotApiEmulator, EmulatorServer

    progress(
        f"{database}: {options.deliveries} deliveries, BROADCAST_RATE={options.rate:g}, "
        f"SIGKILL after {crash_after} sent"
    )
    emulator = BotApiEmulator(global_rate=options.limit, per_chat_rate=1)
    for chat in sorted(set(recipients(options))):
        emulator.register_user(chat)
    server = EmulatorServer(emulator)
    await server.start("127.0.0.1", 0)
    first = SenderProcess(options, server.url, database_url, workdir, CRASH_HOST_PID)
    second = SenderProcess(options, server.url, database_url, workdir, CRASH_HOST_PID)
    try:
        await load_outbox(database_url, options)
        await first.start(emulator.token)
        deadline = time.monotonic() + START_TIMEOUT + options.expected_seconds() * 2
        while sum(1 for call in emulator.calls_to("sendMessage") if call.ok) < crash_after:
            if first.exited() or time.monotonic() > deadline:
                raise BenchmarkError(f"the sender never got going:\n{first.log_tail()}")
            await asyncio.sleep(0.01)
        await first.kill()
        killed = emulator.clock()
        await asyncio.sleep(WIRE_GRACE)
        held = await claims(database_url)
        reached = set(first_arrivals(emulator, 0.0))
        waiting = set(held) - reached
        progress(f"  killed holding {len(held)} claims, {len(held) - len(waiting)} in flight")
        restarted = emulator.clock()
        await second.start(emulator.token)
        deadline = time.monotonic() + START_TIMEOUT + options.expected_seconds() * 2
        taken = await until_taken_over(database_url, set(held.values()), deadline)
        takeover = taken - time.monotonic() + emulator.clock() - restarted
        statuses, timed_out = await wait_until_settled(database_url, second, deadline)
        await asyncio.sleep(STRAY_GRACE)
        await second.stop()
        statuses = await outbox_statuses(database_url)
        result = await analyse(database, database_url, options, emulator, statuses, timed_out)
        arrivals = first_arrivals(emulator, restarted)
        last = max((arrivals[chat] for chat in waiting if chat in arrivals), default=restarted)
        crash = CrashResult(
            database=database,
            options=options,
            crash_after=crash_after,
            claimed=len(held),
            in_flight=len(held) - len(waiting),
            takeover=takeover,
            claimed_sent=last - restarted,
            claimed_sent_since_kill=last - killed,
            restart_gap=restarted - killed,
            duplicates=result.duplicates,
            losses=result.losses,
            statuses=statuses,
            timed_out=timed_out or not waiting <= set(arrivals),
        )
        progress(f"  done: claimed deliveries sent {crash.claimed_sent:.1f} s after the restart")
        return crash
    finally:
        await first.kill()
        await second.kill()
        await server.stop()


def crash_report(results: Sequence[CrashResult], skipped: dict[str, str]) -> str:
    header = [
        "database",
        "deliveries",
        "BROADCAST_RATE",
        "killed after",
        "claimed",
        "in flight",
        "takeover s",
        "claimed sent s",
        "duplicates",
        "losses",
        "targets",
    ]
    rows = [header]
    for result in results:
        rows.append(
            [
                result.database,
                f"{result.options.deliveries:,}",
                f"{result.options.rate:g}",
                f"{result.crash_after:,}",
                str(result.claimed),
                str(result.in_flight),
                f"{result.takeover:.1f}",
                f"{result.claimed_sent:.1f}",
                str(result.duplicates),
                str(result.losses),
                "met" if not result.misses() else "MISSED",
            ]
        )
    parts = [table(rows), ""] if results else ["No run.", ""]
    for result in results:
        statuses = ", ".join(
            f"{status} {result.statuses[status]}"
            for status in sorted(result.statuses, key=_status_rank)
        )
        parts += [
            f"{result.database}, {options_label(result.options)}:",
            f"  restart {result.restart_gap:.1f} s after the kill; the claimed deliveries were "
            f"all in their chats {result.claimed_sent_since_kill:.1f} s after the kill; "
            f"outbox table: {statuses}",
        ]
        if misses := result.misses():
            parts.append(f"  missed: {'; '.join(misses)}")
    for database, reason in skipped.items():
        parts.append(f"{database}: skipped, {reason}")
    parts.append(
        "Times count from the restart (the new process's start) unless said otherwise. Targets: "
        f"claimed deliveries sent within {TARGET_CLAIMED_SENT:.0f} s of the restart, "
        "duplicates no more than were in flight, no loss."
    )
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Report


def progress(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def report(results: Sequence[RunResult], skipped: dict[str, str], floor_mb: float | None) -> str:
    header = [
        "database",
        "deliveries",
        "chats",
        "BROADCAST_RATE",
        "R",
        "achieved/s",
        "ratio",
        "429s",
        "duplicates",
        "losses",
        "peak RSS MB",
        "targets",
    ]
    rows = [header]
    for result in results:
        options = result.options
        rows.append(
            [
                result.database,
                f"{options.deliveries:,}",
                f"{options.chats:,}",
                f"{options.rate:g}",
                f"{options.limit:g}",
                f"{result.achieved_rate:.2f}",
                f"{result.ratio:.3f}",
                str(result.too_many_requests),
                str(result.duplicates),
                str(result.losses),
                f"{result.peak_rss_mb:.1f}",
                "met" if not result.misses() else "MISSED",
            ]
        )
    parts = [table(rows), ""] if results else ["No run.", ""]
    for result in results:
        worker = result.worker
        cpu = float(worker.get("cpu_seconds", 0.0))
        wall = float(worker.get("wall_seconds", 0.0)) or 1.0
        statuses = ", ".join(
            f"{status} {result.statuses[status]}"
            for status in sorted(result.statuses, key=_status_rank)
        )
        parts += [
            f"{result.database}, {options_label(result.options)}:",
            f"  sends: first to last {result.duration:.1f} s; steady rate (10th to 90th "
            f"percentile of sends) {result.steady_rate:.2f}/s; gap between sends: median "
            f"{result.median_gap * 1000:.1f} ms (1/BROADCAST_RATE is "
            f"{1000 / result.options.rate:.1f} ms), largest {result.max_gap * 1000:.0f} ms; "
            "most sends in one sliding second "
            f"{result.busiest_second}; other errors {result.other_errors}",
            f"  outbox table: {statuses}; rows marked sent without their message "
            f"{result.unmatched_sent}",
            f"  sender process: CPU {cpu:.1f} s ({cpu / wall * 100:.0f} % of {wall:.1f} s); "
            f"RSS {mb(worker.get('rss_ready_kb'))} before sending, "
            f"{mb(worker.get('rss_end_kb'))} at the end; peak {result.peak_rss_mb:.1f} MB "
            f"({mb(worker.get('hwm_ready_kb'))} already reached while importing)",
            f"  emulator and driver process: CPU {result.driver_cpu:.1f} s "
            f"({result.driver_cpu / (result.driver_wall or 1.0) * 100:.0f} % of "
            f"{result.driver_wall:.1f} s); host: {os.cpu_count()} CPUs, 1-minute load "
            f"average {result.load[0]:.2f} at the start, {result.load[1]:.2f} at the end",
        ]
        misses = result.misses()
        if misses:
            parts.append(f"  missed: {'; '.join(misses)}")
        if result.options.ceiling < result.options.rate:
            parts.append(
                f"  the per-chat limit caps the rate at {result.options.ceiling:g}/s; "
                "the rate target is judged against that ceiling"
            )
    for database, reason in skipped.items():
        parts.append(f"{database}: skipped, {reason}")
    if floor_mb is not None:
        parts.append(f"Reference: a process that only imports aiogram peaks at {floor_mb:.1f} MB.")
    parts.append(
        f"Targets: ratio >= {TARGET_RATIO}, no 429, no duplicate, no loss, "
        f"peak RSS < {TARGET_RSS_MB:.0f} MB."
    )
    return "\n".join(parts)


def mb(kib: Any) -> str:
    return f"{kib / 1024:.1f} MB" if isinstance(kib, int) else "n/a"


def options_label(options: Options) -> str:
    return (
        f"{options.deliveries:,} deliveries to {options.chats:,} chats, "
        f"BROADCAST_RATE {options.rate:g}, R {options.limit:g}, tick {options.tick:g} s"
    )


def _status_rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/sender.py",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--deliveries", type=int, default=10_000, help="deliveries (10000)")
    parser.add_argument("--chats", type=int, help="distinct recipients (default: one per delivery)")
    parser.add_argument("--rate", type=float, default=29.0, help="BROADCAST_RATE (29)")
    parser.add_argument(
        "--limit", type=float, default=30.0, help="R, the emulator's global limit per second (30)"
    )
    parser.add_argument("--tick", type=float, default=1.0, help="OUTBOX_TICK in seconds (1.0)")
    parser.add_argument(
        "--per-chat-interval", type=float, default=1.0, help="PER_CHAT_INTERVAL in seconds (1.0)"
    )
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        metavar="URL",
        help=f"a server where this user may create databases ({DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--crash",
        action="store_true",
        help="SIGKILL the sender mid-sending and restart it with the same host name and PID",
    )
    parser.add_argument(
        "--crash-after",
        type=int,
        help="messages in their chats before the kill (default: a quarter of --deliveries)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--host-pid", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--lifetime", type=float, default=3600.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return args
    args.chats = args.chats or args.deliveries
    if min(args.deliveries, args.chats) <= 0 or min(args.rate, args.limit, args.tick) <= 0:
        parser.error("--deliveries, --chats, --rate, --limit and --tick must be positive")
    if args.chats > args.deliveries:
        parser.error("--chats cannot exceed --deliveries")
    if args.per_chat_interval < 0:
        parser.error("--per-chat-interval cannot be negative")
    args.crash_after = args.crash_after or args.deliveries // 4
    if args.crash and args.chats != args.deliveries:
        parser.error("--crash counts per chat: leave --chats at one per delivery")
    if args.crash and not 0 < args.crash_after < args.deliveries:
        parser.error("--crash-after must be between 0 and --deliveries")
    databases = [item.strip() for item in args.databases.split(",") if item.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown or not databases:
        parser.error(f"--databases: unknown {', '.join(sorted(unknown)) or 'empty list'}")
    args.databases = databases
    return args


async def framework_floor_mb() -> float | None:
    """Peak RSS of a process that only imports aiogram: what any aiogram bot starts from."""
    script = (
        "import aiogram\n"
        "for line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM:'): print(line.split()[1])"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await process.communicate()
    try:
        return int(output.decode().strip()) / 1024
    except ValueError:
        return None


async def main_async(args: argparse.Namespace) -> int:
    options = Options(
        deliveries=args.deliveries,
        chats=args.chats,
        rate=args.rate,
        limit=args.limit,
        tick=args.tick,
        per_chat_interval=args.per_chat_interval,
    )
    results: list[RunResult] = []
    crashes: list[CrashResult] = []
    skipped: dict[str, str] = {}
    workdir = Path(tempfile.mkdtemp(prefix="qb_bench_sender_"))
    try:
        for database in args.databases:
            if database == "postgresql":
                reason = await postgres_unreachable(args.postgres_url)
                if reason is not None:
                    skipped[database] = f"PostgreSQL unreachable ({reason})"
                    progress(f"postgresql: skipped, {reason}")
                    continue
                url_context: contextlib.AbstractAsyncContextManager[str] = postgres_database(
                    args.postgres_url
                )
            else:
                url_context = sqlite_database(workdir)
            async with url_context as url:
                if args.crash:
                    crashes.append(
                        await crash_run(database, url, options, workdir, args.crash_after)
                    )
                else:
                    results.append(await bench_run(database, url, options, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.crash:
        print(crash_report(crashes, skipped))
    else:
        print(report(results, skipped, await framework_floor_mb()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        asyncio.run(run_worker(args))
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
