"""Tests share only through tests/support: no test imports a conftest or another folder's module.

A folder's own helpers live in a plain module beside its tests (e.g. tests/events/catalog.py),
its fixtures in its conftest.py, which pytest loads by itself; what several folders use (the
people and programme, the databases, the bot's process) lives in tests/support/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = "tests.support"


def _package(path: Path) -> str:
    return ".".join(("tests", *path.parent.relative_to(TESTS).parts))


def imported_modules(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) for each module of the tests package a source imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                # `from tests.events import catalog` imports the module tests.events.catalog
                folder = TESTS.parent.joinpath(*base.split("."))
                is_module = (folder / f"{alias.name}.py").exists()
                yield node.lineno, f"{base}.{alias.name}" if is_module else base
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytest_plugins"
            for target in node.targets
        ):
            for plugin in ast.walk(node.value):
                if isinstance(plugin, ast.Constant) and isinstance(plugin.value, str):
                    yield node.lineno, plugin.value


def refused(module: str, package: str) -> bool:
    if module != "tests" and not module.startswith("tests."):
        return False
    if module == SUPPORT or module.startswith(SUPPORT + "."):
        return False
    if package == SUPPORT or package.startswith(SUPPORT + "."):
        return True  # support stands alone: it imports no folder of tests
    folder, _, name = module.rpartition(".")
    return folder != package or name == "conftest" or name.startswith("test_")


def test_tests_import_shared_things_only_from_support_or_their_own_folder() -> None:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        package = _package(path)
        for line, module in imported_modules(path.read_text(encoding="utf-8"), package):
            if refused(module, package):
                found.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert found == [], (
        "move what several folders share into tests/support/, and a folder's own helpers "
        f"from its conftest or test modules into a plain module beside them: {found}"
    )


def test_the_check_refuses_conftests_test_modules_and_other_folders() -> None:
    source = (
        "from tests.support.programme import MARIA\n"
        "from tests.support import fixtures\n"
        "from tests.events.catalog import CATALOG\n"
        "from tests.events.conftest import POLICY\n"
        "from tests.events.test_notices import NEW_EVENT\n"
        "from tests.hours.conftest import LUCA\n"
        "from tests.conftest import new_database_url\n"
        "import tests.e2e.process\n"
        "from . import catalog\n"
        "from bot.notices import RENDERERS\n"
    )
    refusals = [
        line
        for line, module in imported_modules(source, "tests.events")
        if refused(module, "tests.events")
    ]
    assert refusals == [4, 5, 6, 7, 8]
