"""`quartiere-bot stats` and `quartiere-bot export hours` over a million hour reports.

What it measures
    The two commands as an operator runs them: each is a fresh ``quartiere-bot`` process
    (the console script of this virtualenv) with ``DATABASE_URL`` pointing at a database
    that holds ``--reports`` hour reports (default 1,000,000) by ``--volunteers`` volunteers
    (5,000) on ``--projects`` projects (200), spread evenly over 1 January 2025 to
    30 November 2026; 80 % approved, 12 % pending, 8 % rejected; 30 minutes to 8 hours
    each. Every volunteer belongs to one to three projects; each project has one to three
    tutors. The period asked for is the year 2026 (about 48 % of the reports).

    Timed, each ``--runs`` times (the table shows the median and the slowest):
    - ``stats --from 2026-01-01 --to 2026-12-31`` (text) and the same with ``--format csv``;
    - ``export hours --from 2026-01-01 --to 2026-12-31 --out FILE``, with the peak memory
      (maximum resident set size) of the process, since the export streams its rows;
    - ``verify`` of an unknown code: the fixed cost of any command (Python start-up, the
      imports, the migration check and one indexed query), to read the others against.
    Wall time runs from starting the process to its exit. The aggregation alone is also
    timed in this process (``bot.services.figures.key_figures.key_figures`` on a warm connection).

    Checks: the total approved minutes printed by ``stats --format csv`` equal a plain SUM
    over the generated data, and the export has one row per report of the year.

    Loading: PostgreSQL through COPY (asyncpg ``copy_records_to_table``), then VACUUM
    ANALYZE, as autovacuum would leave a table of that size; SQLite through executemany
    in one transaction, then ANALYZE. Loading is timed too but is not what is measured.

How to run (from the repository root)
    .venv/bin/python bench/stats.py                       # full size, SQLite and PostgreSQL
    .venv/bin/python bench/stats.py --quick               # 20,000 reports, a smoke run
    .venv/bin/python bench/stats.py --databases postgresql --runs 5

SQLite uses a fresh file in a temporary directory. PostgreSQL uses ``--postgres-url``, a
server where this user may create databases: a fresh database ``qb_bench_<random>`` is
created and dropped at the end; when the server cannot be reached, PostgreSQL is skipped
with the reason printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

try:
    from bench.databases import DEFAULT_POSTGRES_URL, postgres_database, postgres_unreachable
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from databases import (  # type: ignore[no-redef]
        DEFAULT_POSTGRES_URL,
        postgres_database,
        postgres_unreachable,
    )
from bot.services.figures.key_figures import key_figures
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import HourReport, Project, ProjectTutor, Volunteer

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FIRST_DAY, DAYS = date(2025, 1, 1), 699  # to 30 November 2026
YEAR = ("2026-01-01", "2026-12-31")
STATUSES = (("approved", 0.80), ("pending", 0.12), ("rejected", 0.08))
FIRST_VOLUNTEER, FIRST_TUTOR = 3_000_001, 4_000_001
STATS_TARGET = 2.0  # seconds, PostgreSQL
REPORT_COLUMNS = (
    "telegram_id",
    "project_id",
    "work_date",
    "minutes",
    "status",
    "created_at",
    "updated_at",
    "reviewed_by",
    "reviewed_at",
)


@dataclass(frozen=True)
class Dataset:
    reports: list[tuple[Any, ...]]
    year_reports: int
    year_approved_minutes: int


@dataclass
class Timing:
    command: str
    seconds: list[float]
    max_rss_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Result:
    database: str
    load_seconds: float
    query_seconds: float
    timings: list[Timing]
    problems: list[str]


def progress(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Data


def make_dataset(reports: int, volunteers: int, projects: int, seed: int) -> Dataset:
    rng = random.Random(seed)
    memberships = [
        rng.sample(range(1, projects + 1), rng.randint(1, min(3, projects)))
        for _ in range(volunteers)
    ]
    statuses, weights = zip(*STATUSES, strict=True)
    rows: list[tuple[Any, ...]] = []
    year_reports = year_minutes = 0
    for _ in range(reports):
        volunteer = rng.randrange(volunteers)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        minutes = 15 * rng.randint(2, 32)
        status = rng.choices(statuses, weights)[0]
        moment = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        decided = status != "pending"
        rows.append(
            (
                FIRST_VOLUNTEER + volunteer,
                rng.choice(memberships[volunteer]),
                day,
                minutes,
                status,
                moment,
                moment,
                FIRST_TUTOR if decided else None,
                moment + timedelta(days=1) if decided else None,
            )
        )
        if day.year == 2026:
            year_reports += 1
            year_minutes += minutes if status == "approved" else 0
    return Dataset(rows, year_reports, year_minutes)


async def load(url: str, dataset: Dataset, volunteers: int, projects: int, seed: int) -> float:
    await migrate.upgrade(url)
    started = time.perf_counter()
    engine = create_engine(url)
    rng = random.Random(seed + 1)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(Project),
                [
                    {
                        "id": number,
                        "code": f"project-{number:03d}",
                        "title": {"*": f"Project {number}"},
                        "description": {"*": "benchmark"},
                        "theme": "prossimita",
                    }
                    for number in range(1, projects + 1)
                ],
            )
            await connection.execute(
                insert(ProjectTutor),
                [
                    {"project_id": number, "telegram_id": FIRST_TUTOR + tutor}
                    for number in range(1, projects + 1)
                    for tutor in rng.sample(range(projects), rng.randint(1, 3))
                ],
            )
            await connection.execute(
                insert(Volunteer), [_volunteer(n, now) for n in range(volunteers)]
            )
    finally:
        await engine.dispose()
    if url.startswith("postgresql"):
        await _copy_postgres(url, dataset)
    else:
        await asyncio.to_thread(_insert_sqlite, url, dataset)
    return time.perf_counter() - started


def _volunteer(number: int, now: datetime) -> dict[str, Any]:
    return {
        "telegram_id": FIRST_VOLUNTEER + number,
        "full_name": f"Volontaria {number}, Ñúñez",
        "birth_date": date(1980, 1, 1) + timedelta(days=number),
        "phone": f"+39 333 {number:07d}",
        "resident": True,
        "registered_at": now,
        "consent_at": now,
    }


async def _copy_postgres(url: str, dataset: Dataset) -> None:
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table(
            "hour_reports", records=dataset.reports, columns=REPORT_COLUMNS
        )
        await connection.execute("VACUUM ANALYZE hour_reports")
    finally:
        await connection.close()


def _insert_sqlite(url: str, dataset: Dataset) -> None:
    path = make_url(url).database
    assert path is not None
    connection = sqlite3.connect(path)

    def stored(value: Any) -> Any:
        # SQLAlchemy keeps SQLite dates as ISO text and datetimes as naive UTC text.
        if isinstance(value, datetime):
            return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value.isoformat()
        return value

    try:
        with connection:
            connection.executemany(
                f"INSERT INTO hour_reports ({', '.join(REPORT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(REPORT_COLUMNS))})",
                ([stored(value) for value in row] for row in dataset.reports),
            )
        connection.execute("ANALYZE")
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Measurements


def command_line() -> list[str]:
    script = Path(sys.executable).parent / "quartiere-bot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def run_command(url: str, arguments: Sequence[str], workdir: Path) -> tuple[float, float, bytes]:
    """Wall seconds, peak memory in MB and standard output of one command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    env["DATABASE_URL"] = url
    output = workdir / "stdout"
    peak_kb = 0
    with output.open("wb") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command_line(), *arguments],
            env=env,
            cwd=workdir,
            stdout=stdout,
            stderr=subprocess.DEVNULL,
        )
        # VmHWM of the command itself: the rusage of a forked child would also count the
        # pages it shared with this process (which holds the generated reports) before exec.
        while process.poll() is None:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(arguments)} exited {process.returncode}")
    return seconds, peak_kb / 1024, output.read_bytes()


def _high_water_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def time_commands(
    url: str, runs: int, workdir: Path, dataset: Dataset
) -> tuple[list[Timing], list[str]]:
    out = workdir / "hours.csv"
    commands = {
        "verify (unknown code)": ["verify", "AAAAA-BBBBB"],
        "stats (text)": ["stats", "--from", YEAR[0], "--to", YEAR[1]],
        "stats --format csv": ["stats", "--from", YEAR[0], "--to", YEAR[1], "--format", "csv"],
        "export hours --out": [
            "export",
            "hours",
            "--from",
            YEAR[0],
            "--to",
            YEAR[1],
            "--out",
            str(out),
        ],
    }
    timings, problems = [], []
    for name, arguments in commands.items():
        timing = Timing(name, [])
        for _ in range(runs):
            seconds, rss, stdout = run_command(url, arguments, workdir)
            timing.seconds.append(seconds)
            timing.max_rss_mb = max(timing.max_rss_mb, rss)
            if name == "stats --format csv":
                problems += _check_stats(stdout, dataset)
            if name == "export hours --out":
                problems += _check_export(out, dataset)
        progress(f"  {name}: median {timing.median:.2f} s")
        timings.append(timing)
    return timings, problems


def _check_stats(stdout: bytes, dataset: Dataset) -> list[str]:
    rows = list(csv.DictReader(stdout.decode("utf-8").splitlines()))
    total = rows[-1]["approved_minutes"] if rows else "none"
    if total != str(dataset.year_approved_minutes):
        return [f"stats total {total} minutes, expected {dataset.year_approved_minutes}"]
    return []


def _check_export(path: Path, dataset: Dataset) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = sum(1 for _ in stream) - 1
    if rows != dataset.year_reports:
        return [f"export has {rows} rows, expected {dataset.year_reports}"]
    return []


async def time_query(url: str) -> float:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session:
            await session.scalar(select(func.count()).select_from(HourReport))  # warm up
            started = time.perf_counter()
            await key_figures(session, date.fromisoformat(YEAR[0]), date.fromisoformat(YEAR[1]))
            return time.perf_counter() - started
    finally:
        await engine.dispose()


async def run_database(
    database: str, url: str, args: argparse.Namespace, dataset: Dataset
) -> Result:
    progress(f"  loading {len(dataset.reports):,} reports")
    load_seconds = await load(url, dataset, args.volunteers, args.projects, args.seed)
    progress(f"  loaded in {load_seconds:.1f} s")
    query_seconds = await time_query(url)
    with working_directory() as workdir:
        timings, problems = await asyncio.to_thread(time_commands, url, args.runs, workdir, dataset)
    return Result(database, load_seconds, query_seconds, timings, problems)


@contextlib.contextmanager
def working_directory() -> Iterator[Path]:
    workdir = Path(tempfile.mkdtemp(prefix="qb_bench_"))
    try:
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with working_directory() as workdir:
        yield f"sqlite+aiosqlite:///{workdir / 'quartiere.db'}"


# ---------------------------------------------------------------------------------------------
# Report


def report(
    args: argparse.Namespace, dataset: Dataset, results: list[Result], skipped: dict[str, str]
) -> str:
    lines = [
        f"{len(dataset.reports):,} hour reports, {args.volunteers:,} volunteers, "
        f"{args.projects} projects; period {YEAR[0]} to {YEAR[1]}: "
        f"{dataset.year_reports:,} reports; {args.runs} runs per command",
        "",
        "| database   | command                | median s | slowest s | peak MB |",
        "|------------|------------------------|---------:|----------:|--------:|",
    ]
    for result in results:
        for timing in result.timings:
            lines.append(
                f"| {DATABASE_NAMES[result.database]:<10} | {timing.command:<22} "
                f"| {timing.median:8.2f} | {max(timing.seconds):9.2f} | {timing.max_rss_mb:7.0f} |"
            )
    lines.append("")
    for result in results:
        name = DATABASE_NAMES[result.database]
        lines.append(
            f"{name}: loading {result.load_seconds:.1f} s; the figures' queries alone "
            f"{result.query_seconds * 1000:.0f} ms in process"
        )
        lines += [f"{name}: PROBLEM {problem}" for problem in result.problems] or [
            f"{name}: checks passed (stats total and export row count)"
        ]
        if result.database == "postgresql":
            stats = next(t for t in result.timings if t.command == "stats (text)")
            met = "met" if stats.median < STATS_TARGET else "NOT met"
            lines.append(f"{name}: target stats under {STATS_TARGET:.0f} s: {met}")
    for database, reason in skipped.items():
        lines.append(f"{DATABASE_NAMES[database]}: skipped, {reason}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 reports, for a smoke run")
    parser.add_argument("--reports", type=int, help="default 1,000,000 (--quick: 20,000)")
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql"
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    args.reports = args.reports or (20_000 if args.quick else 1_000_000)
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - set(DATABASE_NAMES)
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    args.databases = databases
    return args


async def main_async(args: argparse.Namespace) -> int:
    progress(f"generating {args.reports:,} reports")
    dataset = make_dataset(args.reports, args.volunteers, args.projects, args.seed)
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
            target: contextlib.AbstractAsyncContextManager[str] = postgres_database(
                args.postgres_url
            )
        else:
            target = sqlite_database()
        async with target as url:
            results.append(await run_database(database, url, args, dataset))
    print(f"Stats benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(report(args, dataset, results, skipped))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
