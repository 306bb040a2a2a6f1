"""The console script run as an operator runs it, against a given database."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    """A finished command; stdout kept as bytes to check the exact CSV encoding."""

    returncode: int
    stdout: bytes
    stderr: str

    def rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.stdout.decode("utf-8"), newline="")))


def cli(*args: str, database_url: str, cwd: Path, timezone: str = "Europe/Rome") -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    env["DATABASE_URL"] = database_url
    env["BOT_TIMEZONE"] = timezone
    completed = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr.decode())
