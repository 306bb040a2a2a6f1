"""FRAMEWORK_TUNING=off: aiogram runs as it ships, and the main conversations still pass.

Whether aiogram's models are deferred is decided when `bot` is imported, so the switch is
tried in fresh interpreters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.telegram import tuning
from bot.telegram.tuning import lazy_models
from tests.support.harness import BotHarness

ROOT = Path(__file__).resolve().parents[2]
# Conversations through the production dispatcher: commands, buttons, a restart mid-way,
# the hours flows and sign-ups to shifts; and the check below that the switch was applied.
MAIN_FLOWS = (
    "tests/basics",
    "tests/hours/test_logging.py",
    "tests/volunteering",
    "tests/telegram/test_framework_tuning.py::test_the_patches_follow_the_switch",
)
# Prints whether aiogram built a model no update needs when it was imported.
BUILT_AT_IMPORT = "import bot, aiogram.types; print(aiogram.types.Poll.__pydantic_complete__)"


def environment(switch: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name.upper() != tuning.SWITCH}
    if switch is not None:
        env[tuning.SWITCH] = switch
    return env


def python(program: str, env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", program],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


async def test_the_patches_follow_the_switch(harness: BotHarness) -> None:
    on = os.environ.get(tuning.SWITCH, "on") == "on"
    filters = [
        each
        for router in harness.dispatcher.chain_tail
        for observer in router.observers.values()
        for handler in observer.handlers
        for each in handler.filters or ()
        if each.magic is not None
    ]

    assert tuning.ON is on
    assert harness.settings.framework_tuning == ("on" if on else "off")
    assert bool(lazy_models.deferred()) is on
    assert filters and all(each.awaitable is on for each in filters)


@pytest.mark.timeout(600)
def test_the_main_flows_pass_with_framework_tuning_off() -> None:
    env = environment("off")
    env.pop("TEST_DATABASE_URL", None)  # the patches touch no SQL: SQLite is enough
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *MAIN_FLOWS],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=580,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(("switch", "built_at_import"), [(None, "False"), ("off", "True")])
def test_with_tuning_off_aiogram_builds_its_models_at_import(
    switch: str | None, built_at_import: str
) -> None:
    assert python(BUILT_AT_IMPORT, environment(switch), ROOT) == built_at_import


@pytest.mark.parametrize(
    ("switch", "dotenv", "on"),
    [
        (None, None, True),
        ("on", "FRAMEWORK_TUNING=off", True),
        ("off", None, False),
        (None, "FRAMEWORK_TUNING=off", False),
        # The settings then stop the program; until then aiogram is left as it ships.
        ("maybe", None, False),
    ],
)
def test_the_switch_is_read_from_the_environment_then_dotenv(
    switch: str | None,
    dotenv: str | None,
    on: bool,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv(tuning.SWITCH, raising=False)
    if switch is not None:
        monkeypatch.setenv(tuning.SWITCH, switch)
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv + "\n")
    monkeypatch.chdir(tmp_path)

    assert tuning.read_switch() is on


def test_a_bad_value_stops_the_program_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(tuning.SWITCH, "yes")

    assert main(["migrate"]) == 1
    assert "FRAMEWORK_TUNING" in capsys.readouterr().err
