"""`quartiere-bot send` stays small: nothing on its import path loads aiogram."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_send_command_never_imports_aiogram() -> None:
    # What `quartiere-bot send` imports: the CLI, then bot.runtime.send when the command runs.
    script = (
        "import sys\n"
        "from bot.cli import main as cli\n"
        "cli.build_parser().parse_args(['send'])\n"
        "import bot.runtime.send\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiogram', 'handlers')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPOSITORY,
        timeout=120,
    )
    assert result.stdout.strip() == "[]"
