"""Updates per second and per-update latency of the hub finder, end to end over loopback HTTP.

What it measures
    The bot under test is ``quartiere-bot run`` (the production polling loop) on a fresh
    database loaded with the sample catalog; the framework ceiling, measured in the same run, is
    a bare aiogram echo bot (one handler, ``message.answer(message.text or "ok")``, aiogram's own
    ``start_polling``). Each bot runs in a process of its own and polls the Bot API emulator
    (emulator/) over HTTP on 127.0.0.1. The emulator runs in this process, which also makes
    the load: ``--users`` users sending /start (40 %), locations across the city (40 %) and /hubs
    (20 %), injected with ``user_sends_text`` and ``user_sends_location``.

    Phase 1, throughput: ``--updates`` updates are injected as fast as the bot answers them,
    never more than ``--backlog`` unanswered at a time, for at most ``--phase-limit`` seconds.
    An update is handled once the bot has sent all its replies (/hubs: two messages; anything
    else, and everything the echo bot gets: one); an update answered with the bot's apology
    (handlers/basics/errors.py) counts as failed, not handled. Updates/s (handled) and API calls/s
    (every Bot API call the bot made, getUpdates included) are taken between the 10th and the
    90th percentile of completions, which leaves out the warm-up and the tail; when the time
    limit stops the phase, over the whole phase instead.

    Phase 2, latency: updates are offered at a fixed rate, half of the echo bot's updates/s,
    for ``--seconds``. The latency of an update is the time from when it was due to be sent to
    the bot's first reply in that chat; p50 and p99 are reported, and an update left unanswered
    (or answered with an apology) counts as infinitely late.

    Both bots answer one chat's updates in order, so each message the bot sends is matched to
    the oldest unfinished update of its chat.

    Targets: the bot reaches at least 50 % of the ceiling's updates/s, and its p99 at half the
    ceiling's rate is under 100 ms. They are reported either way; the exit status is 0 unless
    something crashes.

How to run (from the repository root)
    .venv/bin/python bench/updates.py                  # full size, SQLite and PostgreSQL
    .venv/bin/python bench/updates.py --quick          # a smoke run with small sizes
    .venv/bin/python bench/updates.py --databases sqlite --users 1000 --updates 5000

SQLite uses a fresh file in a temporary directory. PostgreSQL uses ``--postgres-url``, a
server where this user may create databases: a fresh database ``qb_bench_<random>`` is
created and dropped at the end; when the server cannot be reached, PostgreSQL is skipped with
the reason printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import gettext
import math
import os
import random
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from bot.settings import SUPPORTED_LOCALES, Settings
from emulator import BotApiEmulator, EmulatorServer, UploadedFile
from locales import locales_dir

# The city, as a box of latitudes and longitudes the locations are drawn from.
LATITUDES = (44.65, 44.73)
LONGITUDES = (10.58, 10.69)
MIX = (("start", 0.4), ("location", 0.4), ("hubs", 0.2))
COMMANDS = {"start": "/start", "hubs": "/hubs"}
# How many messages each bot sends in answer to each kind of update.
QUARTIERE_REPLIES = {"start": 1, "location": 1, "hubs": 2}
ECHO_REPLIES = {"start": 1, "location": 1, "hubs": 1}
FIRST_USER_ID = 1_000_001
SCRIPT = Path(__file__).resolve()

# users, updates, seconds at a fixed rate, longest throughput phase
SIZES = {"full": (1000, 5000, 15.0, 60.0), "quick": (50, 400, 3.0, 20.0)}
TARGET_RATIO = 0.5
TARGET_P99_MS = 100.0

READY_TIMEOUT = 90.0  # from process start to the bot's first getUpdates
SETUP_TIMEOUT = 180.0  # loading the sample catalog
LAG_LIMIT = 5.0  # how far behind schedule the fixed-rate phase may fall before it gives up
DRAIN_TIMEOUT = 10.0  # waiting for the last answers after a phase
STOP_TIMEOUT = 15.0  # from SIGTERM to exit


class BenchmarkError(Exception):
    """The benchmark could not run (a bot did not start, died, or never answered)."""


# ---------------------------------------------------------------------------------------------
# Load: who sends what


@dataclass(frozen=True, slots=True)
class Action:
    user_id: int
    kind: str
    language: str
    latitude: float = 0.0
    longitude: float = 0.0


def workload(users: int, count: int, seed: int) -> list[Action]:
    """``count`` updates from ``users`` users, every user once per round in a shuffled order."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    actions: list[Action] = []
    order: list[int] = []
    for _ in range(count):
        if not order:
            order = list(range(users))
            rng.shuffle(order)
        index = order.pop()
        kind = rng.choices(kinds, weights)[0]
        language = "it" if index % 2 == 0 else "en"
        if kind == "location":
            actions.append(
                Action(
                    FIRST_USER_ID + index,
                    kind,
                    language,
                    round(rng.uniform(*LATITUDES), 6),
                    round(rng.uniform(*LONGITUDES), 6),
                )
            )
        else:
            actions.append(Action(FIRST_USER_ID + index, kind, language))
    return actions


def send(emulator: BotApiEmulator, action: Action) -> None:
    if action.kind == "location":
        emulator.user_sends_location(
            action.user_id, action.latitude, action.longitude, language_code=action.language
        )
    else:
        emulator.user_sends_text(
            action.user_id, COMMANDS[action.kind], language_code=action.language
        )


# ---------------------------------------------------------------------------------------------
# Observation: which update each reply answers


def apologies() -> frozenset[str]:
    """The bot's answer to an update that failed (handlers/basics/errors.py), in every language."""
    text = "Sorry, something went wrong on my side. Please try again in a moment."
    found = {text}
    for language in SUPPORTED_LOCALES:
        catalog = gettext.translation(
            "messages", localedir=locales_dir(), languages=[language], fallback=True
        )
        found.add(catalog.gettext(text))
    return frozenset(found)


@dataclass(slots=True)
class Sent:
    phase: str
    due: float  # time.monotonic() when the update was (or was due to be) sent
    replies_left: int
    first_reply: float | None = None
    done: float | None = None  # when its last reply came
    failed: bool = False  # answered with an apology

    @property
    def latency(self) -> float:
        """Seconds from due to the first reply; infinite when unanswered or failed."""
        if self.first_reply is None or self.failed:
            return math.inf
        return self.first_reply - self.due


class ReplyTracker:
    """Matches the bot's messages to the updates they answer.

    Both bots answer one chat's updates in order, so a chat's messages answer its oldest
    unfinished update first. An update is done once it has all its expected replies, or an
    apology (the bot's error handler), which marks it failed.
    """

    def __init__(self, failure_texts: frozenset[str]) -> None:
        self.sent: list[Sent] = []
        self.outstanding = 0
        self.unexpected = 0
        self._failure_texts = failure_texts
        self._chats: dict[int, deque[Sent]] = {}
        self._changed = asyncio.Event()

    def expect(self, phase: str, chat_id: int, due: float, replies: int) -> None:
        item = Sent(phase, due, replies)
        self._chats.setdefault(chat_id, deque()).append(item)
        self.sent.append(item)
        self.outstanding += 1

    def reply(self, chat_id: int, text: str | None, now: float) -> None:
        queue = self._chats.get(chat_id)
        if not queue:
            self.unexpected += 1
            return
        head = queue[0]
        if head.first_reply is None:
            head.first_reply = now
        head.replies_left -= 1
        if text in self._failure_texts:
            head.failed = True
            head.replies_left = 0
        if head.replies_left <= 0:
            queue.popleft()
            head.done = now
            self.outstanding -= 1
            self._changed.set()

    async def wait_for_completion(self, timeout: float) -> None:  # noqa: ASYNC109
        """Until the next update is done, or ``timeout`` seconds (the caller re-checks)."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def phase(self, name: str) -> list[Sent]:
        return [item for item in self.sent if item.phase == name]


class MeasuredEmulator(BotApiEmulator):
    """The emulator, telling a ReplyTracker about every message the bot sends."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.tracker = ReplyTracker(apologies())

    async def handle(
        self,
        token: str,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile | bytes] | None = None,
    ) -> Any:
        result = await super().handle(token, method, params, files)
        name = method.lower()
        if name.startswith("send") and name != "sendchataction" and isinstance(result, dict):
            self.tracker.reply(result["chat"]["id"], result.get("text"), time.monotonic())
        return result


# ---------------------------------------------------------------------------------------------
# The bots' processes


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc (None where there is no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settings_free_environment(**values: str) -> dict[str, str]:
    """This process's environment without any of the bot's settings, plus ``values``."""
    names = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in names}
    env.update(values)
    return env


def cli_command(*arguments: str) -> list[str]:
    script = Path(sys.executable).with_name("quartiere-bot")
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-m", "bot.cli", *arguments]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """A bot in a subprocess, its output in a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], workdir: Path, name: str) -> None:
        self.argv = argv
        self.env = env
        self.workdir = workdir
        self.log_path = workdir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None
        self.killed = False  # it did not stop within STOP_TIMEOUT of SIGTERM
        self._log: BinaryIO | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def exited(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _open_log(self) -> BinaryIO:
        self._log = self.log_path.open("wb")
        return self._log

    async def start(self, emulator: BotApiEmulator) -> None:
        """Start the process and wait for its first getUpdates."""
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            env=self.env,
            cwd=self.workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._open_log(),
            stderr=asyncio.subprocess.STDOUT,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while not any(call.method == "getUpdates" for call in emulator.calls):
            if self.exited():
                raise BenchmarkError(f"the bot exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchmarkError(f"the bot did not poll within {READY_TIMEOUT:.0f}s")
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                self.killed = True
                process.kill()
                await process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def run_echo_bot(url: str, token: str) -> None:
    """The framework ceiling: a bare aiogram bot echoing every message, aiogram's own polling."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    async def echo(message: Message) -> None:
        await message.answer(message.text or "ok")

    async def main() -> None:
        bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
        dispatcher = Dispatcher()
        dispatcher.message.register(echo)
        await dispatcher.start_polling(bot, polling_timeout=1)

    asyncio.run(main())


async def load_sample_catalog(database_url: str, workdir: Path) -> None:
    """``quartiere-bot sample-data`` on the fresh database (which migrates it first)."""
    log_path = workdir / "sample-data.log"
    process = await asyncio.create_subprocess_exec(
        *cli_command("sample-data"),
        env=settings_free_environment(DATABASE_URL=database_url, LOG_LEVEL="WARNING"),
        cwd=workdir,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), SETUP_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise BenchmarkError("quartiere-bot sample-data did not finish") from None
    log_path.write_bytes(output)
    if process.returncode != 0:
        raise BenchmarkError(
            f"quartiere-bot sample-data failed:\n{output.decode(errors='replace')}"
        )


# ---------------------------------------------------------------------------------------------
# The two phases


@dataclass(frozen=True)
class Throughput:
    updates: int  # injected
    handled: int  # answered in full
    failed: int  # answered with an apology
    updates_per_second: float  # answered in full, over the measured window
    calls_per_second: float  # every Bot API call, over the same window
    calls_per_update: float
    bot_cpu: float | None  # share of one core, over the whole phase
    load_cpu: float  # this process (emulator and load generator), over the whole phase
    cut_short: bool  # the time limit ended the phase with updates unanswered


@dataclass(frozen=True)
class Latency:
    rate: float
    planned: int
    sent: int
    answered: int  # answered, not with an apology
    failed: int
    p50_ms: float
    p99_ms: float
    max_lag_ms: float  # how far behind schedule the injection fell


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(share * len(values)) - 1)]


def check_alive(bot: BotProcess) -> None:
    if bot.exited():
        raise BenchmarkError(f"the bot exited during the run:\n{bot.log_tail()}")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage-collection pauses in this process (the emulator and the load) while a phase
    is measured: the emulator keeps every call, and a full collection over them stalls it."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def drain(tracker: ReplyTracker, bot: BotProcess, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until every update is answered, at most ``timeout`` seconds."""
    until = time.monotonic() + timeout
    while tracker.outstanding and time.monotonic() < until:
        check_alive(bot)
        await tracker.wait_for_completion(0.5)


async def measure_throughput(
    emulator: MeasuredEmulator,
    actions: Sequence[Action],
    replies: Mapping[str, int],
    options: Options,
    bot: BotProcess,
) -> Throughput:
    """Inject ``actions`` as fast as the bot answers, at most ``options.backlog`` unanswered."""
    tracker = emulator.tracker
    first_call = len(emulator.calls)
    started = time.monotonic()
    deadline = started + options.phase_limit
    bot_cpu, load_cpu = cpu_seconds(bot.pid), time.process_time()
    for action in actions:
        while tracker.outstanding >= options.backlog and time.monotonic() < deadline:
            check_alive(bot)
            await tracker.wait_for_completion(0.5)
        if time.monotonic() >= deadline:
            break
        send(emulator, action)
        tracker.expect("throughput", action.user_id, time.monotonic(), replies[action.kind])
    await drain(tracker, bot, deadline - time.monotonic())
    ended = time.monotonic()
    bot_cpu_end = cpu_seconds(bot.pid)
    bot_share = None
    if bot_cpu is not None and bot_cpu_end is not None:
        bot_share = (bot_cpu_end - bot_cpu) / (ended - started)
    load_share = (time.process_time() - load_cpu) / (ended - started)

    items = tracker.phase("throughput")
    done = sorted(item.done for item in items if item.done is not None)
    cut_short = len(done) < len(actions)
    if cut_short or len(done) < 10:
        # No steady state to speak of: the whole phase is the window.
        window_start, window_end = started, ended
    else:
        window_start = done[int(len(done) * 0.1)]
        window_end = done[math.ceil(len(done) * 0.9) - 1]
    span = max(window_end - window_start, 1e-9)
    handled = sum(
        1
        for item in items
        if item.done is not None and not item.failed and window_start < item.done <= window_end
    )
    calls = sum(1 for call in emulator.calls[first_call:] if window_start < call.time <= window_end)
    return Throughput(
        updates=len(items),
        handled=sum(1 for item in items if item.done is not None and not item.failed),
        failed=sum(1 for item in items if item.failed),
        updates_per_second=handled / span,
        calls_per_second=calls / span,
        calls_per_update=calls / handled if handled else math.nan,
        bot_cpu=bot_share,
        load_cpu=load_share,
        cut_short=cut_short,
    )


async def measure_latency(
    emulator: MeasuredEmulator,
    actions: Sequence[Action],
    replies: Mapping[str, int],
    rate: float,
    backlog: int,
    bot: BotProcess,
) -> Latency:
    """Offer ``actions`` at ``rate`` per second, at most ``backlog`` unanswered at a time."""
    tracker = emulator.tracker
    start = time.monotonic() + 0.05
    give_up = start + len(actions) / rate + LAG_LIMIT
    index, max_lag = 0, 0.0
    while index < len(actions):
        check_alive(bot)
        now = time.monotonic()
        if now > give_up:
            break
        due_count = min(len(actions), math.floor((now - start) * rate) + 1)
        while index < due_count and tracker.outstanding < backlog:
            due = start + index / rate
            action = actions[index]
            send(emulator, action)
            tracker.expect("latency", action.user_id, due, replies[action.kind])
            max_lag = max(max_lag, now - due)
            index += 1
        await asyncio.sleep(max(0.0, min(start + index / rate - time.monotonic(), 0.01)))
    await drain(tracker, bot, DRAIN_TIMEOUT)
    items = tracker.phase("latency")
    latencies = sorted(item.latency for item in items)
    return Latency(
        rate=rate,
        planned=len(actions),
        sent=len(items),
        answered=sum(1 for item in items if not math.isinf(item.latency)),
        failed=sum(1 for item in items if item.failed),
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        max_lag_ms=max_lag * 1000,
    )


# ---------------------------------------------------------------------------------------------
# One bot, one database


@dataclass(frozen=True)
class BotResult:
    bot: str
    throughput: Throughput
    latency: Latency
    invalid_calls: int
    failed_calls: int
    unexpected_messages: int
    killed: bool


@dataclass(frozen=True)
class Options:
    users: int
    updates: int
    seconds: float
    backlog: int
    phase_limit: float
    seed: int


async def bench_bot(
    name: str,
    options: Options,
    workdir: Path,
    *,
    database_url: str | None = None,
    rate: float | None = None,
) -> BotResult:
    """One bot against a fresh emulator: throughput, then latency at ``rate`` (by default half
    of its own updates/s)."""
    emulator = MeasuredEmulator()
    server = EmulatorServer(emulator)
    await server.start("127.0.0.1", 0)
    if database_url is None:
        argv = [sys.executable, str(SCRIPT), "--echo-bot", server.url]
        env = settings_free_environment(BENCH_BOT_TOKEN=emulator.token)
        replies = ECHO_REPLIES
    else:
        argv = cli_command("run")
        env = settings_free_environment(
            BOT_TOKEN=emulator.token,
            TELEGRAM_API_URL=server.url,
            DATABASE_URL=database_url,
            HEALTH_LISTEN=f"127.0.0.1:{free_port()}",
            POLLING_TIMEOUT="1",
            LOG_LEVEL="WARNING",
        )
        replies = QUARTIERE_REPLIES
    bot = BotProcess(argv, env, workdir, name)
    try:
        await bot.start(emulator)
        progress(f"  {name}: throughput, {options.updates} updates from {options.users} users")
        actions = workload(options.users, options.updates, options.seed)
        with collector_paused():
            throughput = await measure_throughput(emulator, actions, replies, options, bot)
            await drain(emulator.tracker, bot, DRAIN_TIMEOUT)
        if rate is None:
            rate = max(throughput.updates_per_second / 2, 1.0)
        progress(f"  {name}: latency at {rate:.0f} updates/s for {options.seconds:g} s")
        planned = max(1, round(rate * options.seconds))
        actions = workload(options.users, planned, options.seed + 1)
        backlog = max(options.backlog, math.ceil(rate * 2))
        with collector_paused():
            latency = await measure_latency(emulator, actions, replies, rate, backlog, bot)
    finally:
        await bot.stop()
        await server.stop()
    return BotResult(
        bot=name,
        throughput=throughput,
        latency=latency,
        invalid_calls=len(emulator.invalid_calls),
        failed_calls=sum(1 for call in emulator.calls if not call.ok),
        unexpected_messages=emulator.tracker.unexpected,
        killed=bot.killed,
    )


# ---------------------------------------------------------------------------------------------
# Databases


@contextlib.asynccontextmanager
async def sqlite_database(workdir: Path) -> AsyncIterator[str]:
    yield f"sqlite+aiosqlite:///{workdir / 'quartiere.db'}"


async def bench_database(
    database: str, options: Options, workdir: Path, postgres_url: str
) -> list[BotResult]:
    """The echo bot, then the Quartiere bot at the rate the echo bot sets."""
    progress(f"{database}:")
    echo = await bench_bot("echo", options, workdir)
    if database == "sqlite":
        catalog: contextlib.AbstractAsyncContextManager[str] = sqlite_database(workdir)
    else:
        catalog = postgres_database(postgres_url)
    async with catalog as url:
        progress("  quartiere: loading the sample catalog")
        await load_sample_catalog(url, workdir)
        quartiere = await bench_bot(
            "quartiere", options, workdir, database_url=url, rate=echo.latency.rate
        )
    return [echo, quartiere]


# ---------------------------------------------------------------------------------------------
# Report


def progress(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def milliseconds(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:.1f}"


def share(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def report(options: Options, results: dict[str, list[BotResult]], skipped: dict[str, str]) -> str:
    lines = [
        f"Updates (hub finder), {date.today().isoformat()}: {options.users} users; throughput "
        f"over {options.updates} updates (at most {options.backlog} unanswered, "
        f"{options.phase_limit:g} s at most); latency at half the echo bot's updates/s for "
        f"{options.seconds:g} s",
        "",
    ]
    header = (
        f"{'database':<11}{'bot':<10}{'updates/s':>10}{'calls/s':>9}{'calls/upd':>10}"
        f"{'ratio':>7}{'rate/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'bot CPU':>9}{'load CPU':>10}"
    )
    lines += [header, "-" * len(header)]
    verdicts: list[str] = []
    notes: list[str] = []
    for database, bots in results.items():
        ceiling = bots[0].throughput.updates_per_second
        for result in bots:
            flow, wait = result.throughput, result.latency
            ratio = flow.updates_per_second / ceiling
            lines.append(
                f"{database:<11}{result.bot:<10}{flow.updates_per_second:>10.1f}"
                f"{flow.calls_per_second:>9.1f}{flow.calls_per_update:>10.2f}{ratio:>7.2f}"
                f"{wait.rate:>8.0f}{milliseconds(wait.p50_ms):>9}{milliseconds(wait.p99_ms):>9}"
                f"{share(flow.bot_cpu):>9}{share(flow.load_cpu):>10}"
            )
            notes += notes_for(database, result)
        quartiere = bots[-1]
        ratio = quartiere.throughput.updates_per_second / ceiling
        p99 = quartiere.latency.p99_ms
        verdicts.append(
            f"{database}: updates/s ratio {ratio:.2f} "
            f"({'met' if ratio >= TARGET_RATIO else 'NOT met'}, target >= {TARGET_RATIO}); "
            f"p99 {milliseconds(p99)} ms at {quartiere.latency.rate:.0f} updates/s "
            f"({'met' if p99 < TARGET_P99_MS else 'NOT met'}, target < {TARGET_P99_MS:.0f} ms)"
        )
    for database, reason in skipped.items():
        verdicts.append(f"{database}: skipped, {reason}")
    lines += ["", "Targets (quartiere against the echo bot):", *(f"  {v}" for v in verdicts)]
    if notes:
        lines += ["", "Notes:", *(f"  {line}" for line in notes)]
    return "\n".join(lines)


def notes_for(database: str, result: BotResult) -> list[str]:
    where = f"{database}/{result.bot}"
    flow, wait = result.throughput, result.latency
    notes = []
    if flow.cut_short or flow.failed:
        notes.append(
            f"{where}: throughput phase: {flow.updates} sent, {flow.handled} answered, "
            f"{flow.failed} answered with an apology"
            + (", stopped by the time limit" if flow.cut_short else "")
        )
    if wait.sent < wait.planned or wait.answered < wait.sent:
        notes.append(
            f"{where}: fixed rate: {wait.sent} of {wait.planned} sent, {wait.answered} answered, "
            f"{wait.failed} answered with an apology"
        )
    if wait.max_lag_ms > 50:
        notes.append(f"{where}: injection fell up to {wait.max_lag_ms:.0f} ms behind schedule")
    if result.invalid_calls or result.failed_calls or result.unexpected_messages:
        notes.append(
            f"{where}: {result.invalid_calls} invalid calls, {result.failed_calls} failed calls, "
            f"{result.unexpected_messages} messages answering no update"
        )
    if result.killed:
        notes.append(f"{where}: did not stop within {STOP_TIMEOUT:g} s of SIGTERM, killed")
    return notes


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Updates/s and latency of the hub finder, against an aiogram echo bot."
    )
    parser.add_argument("--users", type=int, help="distinct users (1000; --quick: 50)")
    parser.add_argument("--updates", type=int, help="updates of the throughput phase (5000; 400)")
    parser.add_argument("--seconds", type=float, help="length of the fixed-rate phase (15; 3)")
    parser.add_argument(
        "--phase-limit", type=float, help="longest throughput phase, in seconds (60; 20)"
    )
    parser.add_argument(
        "--backlog", type=int, default=300, help="most unanswered updates at a time (300)"
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
    parser.add_argument("--seed", type=int, default=1, help="of the random workload (1)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--echo-bot", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    users, updates, seconds, phase_limit = SIZES["quick" if args.quick else "full"]
    args.users = args.users or users
    args.updates = args.updates or updates
    args.seconds = args.seconds or seconds
    args.phase_limit = args.phase_limit or phase_limit
    databases = [item.strip() for item in args.databases.split(",") if item.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown or not databases:
        parser.error(f"--databases: unknown {', '.join(sorted(unknown)) or 'empty list'}")
    if min(args.users, args.updates, args.backlog, args.seconds, args.phase_limit) <= 0:
        parser.error("--users, --updates, --backlog, --seconds and --phase-limit must be positive")
    args.databases = databases
    return args


async def main_async(args: argparse.Namespace) -> int:
    options = Options(
        args.users, args.updates, args.seconds, args.backlog, args.phase_limit, args.seed
    )
    results: dict[str, list[BotResult]] = {}
    skipped: dict[str, str] = {}
    workdir = Path(tempfile.mkdtemp(prefix="qb_bench_"))
    try:
        for database in args.databases:
            if database == "postgresql":
                reason = await postgres_unreachable(args.postgres_url)
                if reason is not None:
                    skipped[database] = f"PostgreSQL unreachable ({reason})"
                    progress(f"postgresql: skipped, {reason}")
                    continue
            results[database] = await bench_database(database, options, workdir, args.postgres_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(report(options, results, skipped))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.echo_bot:
        run_echo_bot(args.echo_bot, os.environ["BENCH_BOT_TOKEN"])
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
