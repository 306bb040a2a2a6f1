"""No module-global mutable state under bot/ and handlers/ without a reason written next to it.

A module-level list, dict or set is shared by every handler, job and the sender of the
process; each one is allowed only with a `# cache:` comment on its line or the line above
saying why sharing it is safe (a table filled at import and only read, a cache that may be
dropped at any time).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers")
MUTABLE_CALLS = {
    "dict",
    "set",
    "list",
    "defaultdict",
    "OrderedDict",
    "deque",
    "Counter",
    "WeakKeyDictionary",
    "WeakValueDictionary",
    "WeakSet",
}
MUTABLE_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
# Shared state that is being removed; each entry goes with it, never a new one.
TO_GO = {
    # Written by a handler, a scheduler job and the sender, read by a renderer.
    "bot/notices/announcements.py:CANCELLED",
}


def _is_mutable(value: ast.expr) -> bool:
    if isinstance(value, MUTABLE_LITERALS):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        return name in MUTABLE_CALLS
    return False


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those under if/try/with (not functions or classes)."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If | ast.With | ast.Try):
            for block in (statement.body, getattr(statement, "orelse", [])):
                yield from _module_statements(block)
            for handler in getattr(statement, "handlers", []):
                yield from _module_statements(handler.body)
            yield from _module_statements(getattr(statement, "finalbody", []))


def _names(statement: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    nodes = [node for target in targets for node in ast.walk(target)]
    return [node.id for node in nodes if isinstance(node, ast.Name)]


def module_containers(source: str) -> Iterator[tuple[int, str]]:
    """(line, name) of each module-level assignment of a mutable container, `__all__` aside."""
    for statement in _module_statements(ast.parse(source).body):
        if not isinstance(statement, ast.Assign | ast.AnnAssign) or statement.value is None:
            continue
        values = (
            statement.value.elts if isinstance(statement.value, ast.Tuple) else [statement.value]
        )
        if any(_is_mutable(value) for value in values):
            for name in _names(statement):
                if name != "__all__":
                    yield statement.lineno, name


def uncommented_containers(source: str) -> list[tuple[int, str]]:
    lines = source.splitlines()

    def explained(line: int) -> bool:
        nearby = lines[max(line - 2, 0) : line]
        return any("# cache:" in text for text in nearby)

    return [(line, name) for line, name in module_containers(source) if not explained(line)]


def test_every_module_level_container_says_why_it_is_safe_to_share() -> None:
    unexplained = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for line, name in uncommented_containers(path.read_text(encoding="utf-8")):
                if f"{relative}:{name}" not in TO_GO:
                    unexplained.append(f"{relative}:{line} {name}")
    assert unexplained == [], (
        "module-level mutable containers without a `# cache:` comment saying why sharing "
        "them is safe (or make them immutable: a tuple, a frozenset, a Mapping behind "
        f"MappingProxyType): {unexplained}"
    )


def test_the_shared_state_to_remove_is_still_there_or_its_entry_goes() -> None:
    stale = []
    for entry in sorted(TO_GO):
        relative, name = entry.split(":")
        path = ROOT / relative
        found = path.exists() and any(
            found_name == name
            for _, found_name in uncommented_containers(path.read_text(encoding="utf-8"))
        )
        if not found:
            stale.append(entry)
    assert stale == [], f"gone: remove these entries from TO_GO: {stale}"


def test_the_check_finds_a_new_uncommented_container() -> None:
    source = (
        "from collections import defaultdict\n"
        "SEEN = set()\n"
        "BY_USER: dict[int, int] = {}\n"
        "# cache: filled at import, only read\n"
        "TABLE = {'a': 1}\n"
        "QUEUE = defaultdict(list)  # cache: dropped at any time\n"
        "NAMES = ('a', 'b')\n"
        "if True:\n"
        "    PENDING = [n for n in NAMES]\n"
        "def inside():\n"
        "    local = []\n"
        "class Holder:\n"
        "    attribute = {}\n"
    )
    assert uncommented_containers(source) == [(2, "SEEN"), (3, "BY_USER"), (9, "PENDING")]
