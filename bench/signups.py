"""Sign-ups per second and per-sign-up latency when 1,000 volunteers press "Join" at once.

What it measures
    The production dispatcher (``create_dispatcher``, conversation state in the database) and
    the production polling loop (``bot.runtime.polling.Poller.run``: getUpdates returns at most 100
    updates, a batch is handled with at most 8 updates at a time, one user's updates in order,
    and the next getUpdates follows when the batch is done) on a fresh, migrated database with
    the production engine (``storage.db.create_engine``). The bot talks to the Bot API
    emulator in this process through ``tests.support.session.EmulatedSession``, with no
    network between them; the emulator's validation of every call runs in the same process.

    Set-up: ``--projects`` projects with ``--slots`` shifts each, all in the future, with 3 to
    15 places; shift number k of every project takes the same two hours, so two shifts of the
    same number overlap. ``--volunteers`` people join the register (``join_register``). Each
    of them sends /volunteer once, which records them as users and gives the chat the project
    list to press buttons on; this warm-up is not measured.

    Load: every volunteer presses "Join" (the real callback data, ``ShiftJoin(...).pack()``)
    on one shift, chosen with uneven popularity so that some shifts fill up and queue a
    waitlist while others keep free places. A quarter also join a second shift at another
    time, 5 % try a shift at the same time as their first (refused: overlap) and 3 % press
    the same shift again (refused: already held). All the presses are queued in the emulator
    before the bot fetches the first of them, each volunteer's in their own order.

    Figures: wall time runs from the first press to the bot's last answer or reply.
    Sign-ups/s counts the places taken (confirmed or waitlisted) per second of wall time;
    presses/s counts every press handled, refusals included. Latency is, for each press, the
    time from when it was queued to the bot's ``answerCallbackQuery`` (the bot answers after
    the sign-up is committed, then sends the confirmation); since all the presses arrive at
    once, it is mostly the time spent waiting behind the others. Handling is the time inside
    ``Dispatcher.feed_update`` alone (middlewares, handler and database work). Telegram
    refuses an answer after about 15 s; the emulator is told to accept them all, and answers
    later than that are counted instead.

    Checks, in the database afterwards, for every shift: confirmed places within capacity
    (a shift with more is a capacity violation), confirmed == min(capacity, holders), the
    holders exactly the volunteers whose presses should succeed, everyone confirmed queued
    before everyone on the waitlist, and waitlist positions 1..n. Also counted: errors and
    warnings logged by the bot (with the apology sent for a failed update), refusals that
    differ from the expected ones, presses left unanswered and calls the emulator refused.

    The figures are printed either way; the exit status is 0 unless the benchmark crashes.

How to run (from the repository root)
    .venv/bin/python bench/signups.py                   # full size, SQLite and PostgreSQL
    .venv/bin/python bench/signups.py --quick           # a smoke run with small sizes
    .venv/bin/python bench/signups.py --databases sqlite --volunteers 1000

SQLite uses a fresh file in a temporary directory. PostgreSQL uses ``--postgres-url``, a
server where this user may create databases: a fresh database ``qb_bench_<random>`` is
created and dropped at the end; when the server cannot be reached, PostgreSQL is skipped
with the reason printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from bot.clock import SystemClock
from bot.runtime.app import create_bot, create_dispatcher
from bot.runtime.monitor import PollingMonitor
from bot.runtime.polling import Poller
from bot.services.volunteering.register import Form, join_register
from bot.settings import Settings
from emulator import BotApiEmulator
from handlers.shared.callbacks import ShiftJoin
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Project, Shift, Signup
from storage.repositories import shifts as shifts_repo

ROOT = Path(__file__).resolve().parent.parent
FIRST_USER_ID = 2_000_001
# volunteers, projects, shifts per project
SIZES = {"full": (1000, 10, 10), "quick": (100, 3, 5)}
CAPACITY = (3, 15)
SECOND_SHARE, OVERLAP_SHARE, REPEAT_SHARE = 0.25, 0.05, 0.03
ACCEPTED, OVERLAP, ALREADY_HELD = "accepted", "overlap", "already held"
TELEGRAM_ANSWER_LIMIT = 15.0  # seconds within which Telegram accepts answerCallbackQuery
WARMUP_LIMIT = 120.0
# The status line of the bot's reply after a sign-up (any language): ✅ or ⏳ and a position.
TOLD = re.compile(r"^(✅|⏳)\D*(\d+)?", re.MULTILINE)
STOP_TIMEOUT = 15.0


# ---------------------------------------------------------------------------------------------
# The plan: shifts, volunteers and who presses what


@dataclass(frozen=True, slots=True)
class ShiftPlan:
    project: int
    slot: int
    capacity: int
    popularity: float


@dataclass(frozen=True, slots=True)
class Press:
    user_id: int
    shift: int  # index into Plan.shifts
    expected: str  # ACCEPTED, OVERLAP or ALREADY_HELD


@dataclass
class Plan:
    shifts: list[ShiftPlan]
    users: list[int]
    presses: list[Press]  # in the order they are queued

    def expected_holders(self) -> dict[int, set[int]]:
        holders: dict[int, set[int]] = {index: set() for index in range(len(self.shifts))}
        for press in self.presses:
            if press.expected == ACCEPTED:
                holders[press.shift].add(press.user_id)
        return holders


def make_plan(volunteers: int, projects: int, slots: int, seed: int) -> Plan:
    rng = random.Random(seed)
    shifts = [
        ShiftPlan(project, slot, rng.randint(*CAPACITY), rng.lognormvariate(0.0, 0.8))
        for project in range(projects)
        for slot in range(slots)
    ]
    weights = [shift.popularity for shift in shifts]
    users = [FIRST_USER_ID + n for n in range(volunteers)]
    per_user: dict[int, list[int]] = {}
    for user_id in users:
        first = rng.choices(range(len(shifts)), weights)[0]
        extra: list[int] = []
        if rng.random() < SECOND_SHARE:
            others = [i for i, s in enumerate(shifts) if s.slot != shifts[first].slot]
            extra.append(rng.choices(others, [weights[i] for i in others])[0])
        if projects > 1 and rng.random() < OVERLAP_SHARE:
            same_time = [
                i
                for i, s in enumerate(shifts)
                if s.slot == shifts[first].slot and s.project != shifts[first].project
            ]
            extra.append(rng.choice(same_time))
        if rng.random() < REPEAT_SHARE:
            extra.append(first)
        rng.shuffle(extra)
        per_user[user_id] = [first, *extra]
    # Everyone presses at a random moment; one volunteer's presses keep their order.
    timed: list[tuple[float, int, int]] = []
    for user_id, wanted in per_user.items():
        moments = sorted(rng.random() for _ in wanted)
        timed.extend(
            (moment, user_id, shift) for moment, shift in zip(moments, wanted, strict=True)
        )
    timed.sort()
    presses: list[Press] = []
    held: dict[int, set[int]] = defaultdict(set)
    for _, user_id, shift in timed:
        slots_held = {shifts[index].slot for index in held[user_id]}
        if shift in held[user_id]:
            expected = ALREADY_HELD
        elif shifts[shift].slot in slots_held:
            expected = OVERLAP
        else:
            expected = ACCEPTED
            held[user_id].add(shift)
        presses.append(Press(user_id, shift, expected))
    return Plan(shifts, users, presses)


def letters(number: int) -> str:
    """A name part without digits (the register refuses digits in names)."""
    word = ""
    number += 26 * 27  # at least three letters
    while number:
        number, rest = divmod(number, 26)
        word = chr(ord("a") + rest) + word
    return word.capitalize()


async def seed_database(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, now: datetime
) -> list[int]:
    """Projects, shifts and the register; returns the shift ids in plan order."""
    first_day = (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    async with sessions() as session:
        projects = [
            Project(
                code=f"bench-{number}",
                title={"it": f"Progetto {number}", "en": f"Project {number}"},
                description={"it": "Un progetto di prova.", "en": "A test project."},
                theme="prossimita",
            )
            for number in range(1 + max(shift.project for shift in plan.shifts))
        ]
        session.add_all(projects)
        await session.flush()
        rows = [
            Shift(
                project_id=projects[shift.project].id,
                start_at=first_day + timedelta(days=shift.slot),
                end_at=first_day + timedelta(days=shift.slot, hours=2),
                capacity=shift.capacity,
                cancelled=False,
            )
            for shift in plan.shifts
        ]
        session.add_all(rows)
        await session.commit()
        shift_ids = [row.id for row in rows]
        for number, user_id in enumerate(plan.users):
            form = Form(
                full_name=f"Volontario {letters(number)}",
                birth_date=date(1970 + number % 30, 1 + number % 12, 1 + number % 28),
                phone=f"+39333{number:07d}",
                resident=True,
                consent=True,
            )
            await join_register(session, user_id, form, now=now, today=now.date())
    return shift_ids


# ---------------------------------------------------------------------------------------------
# Observing the bot


class LogCollector(logging.Handler):
    """Keeps the bot's warnings and errors (an apology is logged as an error)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self, limit: int = 3) -> list[str]:
        counts: Counter[str] = Counter()
        examples: dict[str, str] = {}
        for record in self.records:
            key = f"{record.levelname} {record.name}: {record.msg}"
            counts[key] += 1
            examples.setdefault(key, record.getMessage()[:200])
        lines = [f"{n} × {key} (e.g. {examples[key]})" for key, n in counts.most_common(10)]
        tracebacks = []
        for record in self.records:
            if record.exc_info and record.exc_info[1] is not None and len(tracebacks) < limit:
                tracebacks.append("".join(traceback.format_exception(*record.exc_info)))
        return lines + tracebacks


@dataclass
class Timings:
    handling: list[float] = field(default_factory=list)
    emulator_seconds: float = 0.0


def time_feed_update(dispatcher: Any, timings: Timings) -> None:
    """Times each ``feed_update`` (what the poller calls for one update)."""
    feed = dispatcher.feed_update

    async def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await feed(*args, **kwargs)
        finally:
            timings.handling.append(time.perf_counter() - start)

    dispatcher.feed_update = timed


def time_emulator(emulator: BotApiEmulator, timings: Timings) -> None:
    """Adds up the time spent inside the emulator, long polls left out."""
    handle = emulator.handle

    async def timed(token: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if method == "getUpdates":
            return await handle(token, method, *args, **kwargs)
        start = time.perf_counter()
        try:
            return await handle(token, method, *args, **kwargs)
        finally:
            timings.emulator_seconds += time.perf_counter() - start

    emulator.handle = timed  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# One database


@dataclass
class Result:
    database: str
    presses: int = 0
    handled: int = 0
    signups: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    refused: int = 0
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    handling: list[float] = field(default_factory=list)
    late_answers: int = 0
    unanswered: int = 0
    replies: int = 0
    unexpected_answers: int = 0
    told: dict[tuple[int, int], tuple[str, int | None]] = field(default_factory=dict)
    told_wrong_status: int = 0
    told_same_position: int = 0
    told_position_moved: int = 0
    invalid_calls: int = 0
    capacity_violations: int = 0
    places_over_capacity: int = 0
    inconsistencies: list[str] = field(default_factory=list)
    log_lines: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    warmup: float = 0.0
    setup: float = 0.0
    emulator_seconds: float = 0.0
    cpu_seconds: float = 0.0
    timed_out: bool = False


def settings_for(url: str, token: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=token,
        database_url=url,
        polling_timeout=1,
        redis_url=None,
        admin_ids=(),
    )


async def wait_until_drained(emulator: BotApiEmulator, limit: float) -> bool:
    """True once the bot has confirmed every queued update; False after `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if len(emulator.updates) == 0:
            return True
        await asyncio.sleep(0.02)
    return False


async def run_database(database: str, url: str, plan: Plan, limit: float) -> Result:
    from tests.support.session import EmulatedSession

    result = Result(database)
    started = time.monotonic()
    await migrate.upgrade(url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    clock = SystemClock()
    shift_ids = await seed_database(sessions, plan, clock.now())
    result.setup = time.monotonic() - started

    emulator = BotApiEmulator(callback_timeout=None)
    settings = settings_for(url, emulator.token)
    bot = create_bot(settings, session=EmulatedSession(emulator))
    dispatcher = create_dispatcher(settings, sessions, clock)
    timings = Timings()
    time_feed_update(dispatcher, timings)
    time_emulator(emulator, timings)
    collector = LogCollector()
    logging.getLogger().addHandler(collector)
    gc.collect()
    gc.freeze()  # as the production start-up does
    stop = asyncio.Event()
    poller = Poller(bot, dispatcher, PollingMonitor(60), timeout=settings.polling_timeout)
    polling = asyncio.create_task(poller.run(stop))
    try:
        progress(f"  {database}: warm-up, {len(plan.users)} × /volunteer")
        warmup_start = time.monotonic()
        for user_id in plan.users:
            emulator.user_sends_text(user_id, "/volunteer", first_name="Volontario")
        if not await wait_until_drained(emulator, WARMUP_LIMIT):
            raise RuntimeError(f"the /volunteer warm-up did not finish in {WARMUP_LIMIT:.0f} s")
        result.warmup = time.monotonic() - warmup_start
        lists = {
            user_id: emulator.last_bot_message(user_id)["message_id"] for user_id in plan.users
        }
        collector.records.clear()
        timings.handling.clear()
        timings.emulator_seconds = 0.0

        progress(f"  {database}: {len(plan.presses)} presses of Join at once")
        first_call = len(emulator.calls)
        cpu_start = time.process_time()
        query_ids: list[str] = []
        for press in plan.presses:
            data = ShiftJoin(shift_id=shift_ids[press.shift]).pack()
            query_ids.append(
                emulator.user_sends_callback(press.user_id, data, message_id=lists[press.user_id])
            )
        result.timed_out = not await wait_until_drained(emulator, limit)
        result.cpu_seconds = time.process_time() - cpu_start
    finally:
        stop.set()
        try:
            await asyncio.wait_for(polling, STOP_TIMEOUT)
        except TimeoutError:
            progress(f"  {database}: the poller did not stop within {STOP_TIMEOUT:.0f} s")
        gc.unfreeze()
        logging.getLogger().removeHandler(collector)

    calls = emulator.calls[first_call:]
    answers = {
        call.params["callback_query_id"]: call
        for call in calls
        if call.method == "answerCallbackQuery" and call.ok
    }
    result.presses = len(plan.presses)
    result.handling = list(timings.handling)
    result.emulator_seconds = timings.emulator_seconds
    chats = set(plan.users)
    replies = [
        call
        for call in calls
        if call.method == "sendMessage" and call.ok and call.params.get("chat_id") in chats
    ]
    result.replies = len(replies)
    result.told = told_places(plan, replies)
    finished = [call.time for call in [*answers.values(), *replies]]
    injected = emulator.callback_queries[query_ids[0]].created
    result.wall = (max(finished) - injected) if finished else float("nan")
    for press, qid in zip(plan.presses, query_ids, strict=True):
        answer = answers.get(qid)
        if answer is None:
            result.unanswered += 1
            continue
        result.handled += 1
        latency = answer.time - emulator.callback_queries[qid].created
        result.latencies.append(latency)
        if latency > TELEGRAM_ANSWER_LIMIT:
            result.late_answers += 1
        alert = bool(answer.params.get("text"))
        if alert != (press.expected != ACCEPTED):
            result.unexpected_answers += 1
    result.invalid_calls = len(emulator.invalid_calls)
    result.errors = sum(1 for r in collector.records if r.levelno >= logging.ERROR)
    result.warnings = len(collector.records) - result.errors
    result.log_lines = collector.describe()
    await verify(sessions, plan, shift_ids, result)
    await bot.session.close()
    await emulator.aclose()
    await engine.dispose()
    return result


def told_places(plan: Plan, replies: list[Any]) -> dict[tuple[int, int], tuple[str, int | None]]:
    """What each reply told: (shift index, user) -> status and waitlist position.

    One volunteer's presses are handled in order, so their n-th reply answers their n-th
    press that takes a place.
    """
    by_chat: dict[int, list[str]] = defaultdict(list)
    for call in replies:
        by_chat[call.params["chat_id"]].append(call.params.get("text", ""))
    told: dict[tuple[int, int], tuple[str, int | None]] = {}
    seen: Counter[int] = Counter()
    for press in plan.presses:
        if press.expected != ACCEPTED:
            continue
        texts = by_chat.get(press.user_id, [])
        index = seen[press.user_id]
        seen[press.user_id] += 1
        match = TOLD.search(texts[index]) if index < len(texts) else None
        if match is None:
            continue
        status = "confirmed" if match.group(1) == "✅" else "waitlisted"
        position = int(match.group(2)) if match.group(2) and status == "waitlisted" else None
        told[(press.shift, press.user_id)] = (status, position)
    return told


async def verify(
    sessions: async_sessionmaker[AsyncSession], plan: Plan, shift_ids: list[int], result: Result
) -> None:
    """Capacity, waitlist order and positions, and who holds what, shift by shift."""
    expected = plan.expected_holders()
    problems: list[str] = []
    async with sessions() as session:
        signups = list(await session.scalars(select(Signup)))
        by_shift: dict[int, list[Signup]] = defaultdict(list)
        for signup in signups:
            by_shift[signup.shift_id].append(signup)
        for index, shift_id in enumerate(shift_ids):
            capacity = plan.shifts[index].capacity
            rows = by_shift.get(shift_id, [])
            confirmed = [s for s in rows if s.status == "confirmed"]
            waiting = [s for s in rows if s.status == "waitlisted"]
            other = [s for s in rows if s.status not in ("confirmed", "waitlisted")]
            result.confirmed += len(confirmed)
            result.waitlisted += len(waiting)
            if len(confirmed) > capacity:
                result.capacity_violations += 1
                result.places_over_capacity += len(confirmed) - capacity
                problems.append(
                    f"shift {shift_id}: {len(confirmed)} confirmed, capacity {capacity}"
                )
            holders = len(confirmed) + len(waiting)
            if len(confirmed) != min(capacity, holders):
                problems.append(
                    f"shift {shift_id}: {len(confirmed)} confirmed of {holders} holders, "
                    f"capacity {capacity}"
                )
            held = {s.telegram_id for s in confirmed + waiting}
            if held != expected[index]:
                problems.append(
                    f"shift {shift_id}: {len(held - expected[index])} unexpected holders, "
                    f"{len(expected[index] - held)} missing"
                )
            if other:
                problems.append(f"shift {shift_id}: {len(other)} signups in another status")
            if confirmed and waiting:
                last_in = max((s.queued_at, s.id) for s in confirmed)
                first_waiting = min((s.queued_at, s.id) for s in waiting)
                if first_waiting < last_in:
                    problems.append(
                        f"shift {shift_id}: someone on the waitlist has an earlier queued_at "
                        "than someone confirmed"
                    )
            final = {
                s.telegram_id: await shifts_repo.waitlist_position(session, s) for s in waiting
            }
            if sorted(final.values()) != list(range(1, len(waiting) + 1)):
                problems.append(f"shift {shift_id}: waitlist positions {sorted(final.values())}")
            # What the volunteers were told when they signed up, against the final state.
            told_positions: Counter[int] = Counter()
            for signup in confirmed + waiting:
                said = result.told.get((index, signup.telegram_id))
                if said is None:
                    continue
                status, position = said
                if status != signup.status:
                    result.told_wrong_status += 1
                elif position is not None:
                    told_positions[position] += 1
                    if position != final[signup.telegram_id]:
                        result.told_position_moved += 1
            result.told_same_position += sum(n - 1 for n in told_positions.values() if n > 1)
    result.signups = result.confirmed + result.waitlisted
    result.refused = sum(1 for press in plan.presses if press.expected != ACCEPTED)
    result.inconsistencies = problems


# ---------------------------------------------------------------------------------------------
# Databases


@contextlib.asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    workdir = Path(tempfile.mkdtemp(prefix="qb_bench_"))
    try:
        yield f"sqlite+aiosqlite:///{workdir / 'quartiere.db'}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Report


def progress(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def report(plan: Plan, results: list[Result], skipped: dict[str, str]) -> str:
    places = sum(shift.capacity for shift in plan.shifts)
    accepted = sum(1 for press in plan.presses if press.expected == ACCEPTED)
    lines = [
        f"{len(plan.users)} volunteers, {len(plan.shifts)} shifts ({places} places), "
        f"{len(plan.presses)} presses of Join: {accepted} should take a place or a waitlist "
        f"position, {len(plan.presses) - accepted} should be refused.",
        "",
        "| database   | presses | sign-ups | confirmed | waitlisted | refused | wall s "
        "| sign-ups/s | presses/s | p50 ms | p99 ms | handling p50 ms | handling p99 ms "
        "| errors | capacity violations |",
        "|------------|--------:|---------:|----------:|-----------:|--------:|-------:"
        "|-----------:|----------:|-------:|-------:|----------------:|----------------:"
        "|-------:|--------------------:|",
    ]
    for r in results:
        lines.append(
            f"| {DATABASE_NAMES[r.database]:<10} | {r.handled:>7} | {r.signups:>8} "
            f"| {r.confirmed:>9} | {r.waitlisted:>10} | {r.refused:>7} | {r.wall:>6.1f} "
            f"| {r.signups / r.wall:>10.1f} | {r.handled / r.wall:>9.1f} "
            f"| {ms(percentile(r.latencies, 0.5)):>6} | {ms(percentile(r.latencies, 0.99)):>6} "
            f"| {ms(percentile(r.handling, 0.5)):>15} | {ms(percentile(r.handling, 0.99)):>15} "
            f"| {r.errors:>6} | {r.capacity_violations:>19} |"
        )
    lines.append("")
    for r in results:
        name = DATABASE_NAMES[r.database]
        lines.append(
            f"{name}: capacity violations: {r.capacity_violations} "
            f"({r.places_over_capacity} places over capacity); other inconsistencies: "
            f"{len(r.inconsistencies)}; answers later than {TELEGRAM_ANSWER_LIMIT:.0f} s: "
            f"{r.late_answers}; unanswered presses: {r.unanswered}; sign-up replies: {r.replies}; "
            f"answers other than expected: {r.unexpected_answers}; "
            f"told a status other than the final one: {r.told_wrong_status}; "
            f"told a waitlist position already told to another: {r.told_same_position}; "
            f"waitlist position now other than told: {r.told_position_moved}; calls refused by the "
            f"emulator: {r.invalid_calls}; bot log: {r.errors} errors, {r.warnings} warnings; "
            f"CPU of this process while the presses were handled: {r.cpu_seconds:.1f} s "
            f"({r.cpu_seconds / r.wall:.0%} of the wall time), of which inside the emulator: "
            f"{r.emulator_seconds:.1f} s; set-up {r.setup:.1f} s, "
            f"warm-up {r.warmup:.1f} s" + ("; STOPPED by the time limit" if r.timed_out else "")
        )
        lines.extend(f"    {problem}" for problem in r.inconsistencies[:10])
        lines.extend(f"    {line}" for line in r.log_lines)
    for database, reason in skipped.items():
        lines.append(f"{DATABASE_NAMES[database]}: skipped, {reason}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--volunteers", type=int, help="default 1000 (--quick: 100)")
    parser.add_argument("--projects", type=int, help="default 10 (--quick: 3)")
    parser.add_argument("--slots", type=int, help="shifts per project, default 10 (--quick: 5)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--limit", type=float, default=120.0, help="seconds the presses may take per database"
    )
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    volunteers, projects, slots = SIZES["quick" if args.quick else "full"]
    args.volunteers = args.volunteers or volunteers
    args.projects = args.projects or projects
    args.slots = args.slots or slots
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - set(DATABASE_NAMES)
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    args.databases = databases
    return args


async def main_async(args: argparse.Namespace) -> int:
    plan = make_plan(args.volunteers, args.projects, args.slots, args.seed)
    results: list[Result] = []
    skipped: dict[str, str] = {}
    for database in args.databases:
        progress(f"{database}:")
        if database == "postgresql":
            reason = await postgres_unreachable(args.postgres_url)
            if reason is not None:
                skipped[database] = f"PostgreSQL unreachable ({reason})"
                progress(f"  skipped, {reason}")
                continue
            catalog: contextlib.AbstractAsyncContextManager[str] = postgres_database(
                args.postgres_url
            )
        else:
            catalog = sqlite_database()
        async with catalog as url:
            results.append(await run_database(database, url, plan, args.limit))
    print(f"Sign-ups benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(report(plan, results, skipped))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # for tests.support
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
