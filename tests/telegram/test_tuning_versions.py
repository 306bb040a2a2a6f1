"""Each framework patch records the versions it was checked against: an upgrade re-checks them."""

from __future__ import annotations

import importlib
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.telegram import tuning

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"
PACKAGE = Path(tuning.__file__).parent


def locked_versions() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", LOCK.read_text(), flags=re.MULTILINE)
    return {name.lower(): pinned for name, pinned in pins}


def test_every_module_of_the_package_is_a_registered_patch() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}

    assert modules == {patch.module for patch in tuning.PATCHES}


@pytest.mark.parametrize("patch", tuning.PATCHES, ids=lambda patch: patch.module)
def test_each_patch_was_checked_against_the_versions_installed_and_locked(
    patch: tuning.Patch,
) -> None:
    locked = locked_versions()
    changed = [
        f"{name} {checked} -> installed {version(name)}, locked {locked.get(name)}"
        for name, checked in patch.checked_with
        if version(name) != checked or locked.get(name) != checked
    ]

    assert changed == [], (
        f"bot/telegram/tuning/{patch.module}.py was checked against other versions "
        f"({'; '.join(changed)}). Re-check it: read its docstring for what it relies on, run "
        "tests/telegram (and its benchmark, with FRAMEWORK_TUNING=off for comparison), then "
        "record the new versions in its docstring and in PATCHES (bot/telegram/tuning/"
        "__init__.py), or delete the patch if the new version no longer needs it."
    )


@pytest.mark.parametrize("patch", tuning.PATCHES, ids=lambda patch: patch.module)
def test_each_patch_states_its_versions_and_its_figure(patch: tuning.Patch) -> None:
    docstring = importlib.import_module(f"bot.telegram.tuning.{patch.module}").__doc__ or ""

    assert "Why:" in docstring and "Checked against" in docstring
    for name, checked in patch.checked_with:
        assert f"{name} {checked}" in docstring
