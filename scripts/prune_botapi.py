"""Generate emulator/botapi.json, the pruned Bot API specification used by the emulator.

The source is the machine-readable scrape of the Bot API reference (``api.json``, see
``../shared/telegram-bot-api/README.md``). The output keeps, for every method, its parameters
(name, types, required) and return types, and for every type its fields and subtypes. Free-text
descriptions are dropped; the limits the emulator enforces are extracted from them into explicit
keys:

- ``length``: ``{"min", "max", "unit": "characters"|"bytes", "after_entities"}`` for strings;
- ``range``: ``{"min", "max"}`` for numbers;
- ``items``: ``{"min", "max"}`` for arrays;
- ``const``: the only accepted value (the discriminator of union members, e.g. ``"chat"``);
- ``enum``: the accepted values of a string;
- ``required_unless``: the field is required unless all the listed fields are present;
- ``required_with``: the field is required when the listed field is present;
- on types, ``one_of`` (how many optional "action" fields must be set) and
  ``string_allowed`` (a plain string may stand for the object).

Usage: ``python scripts/prune_botapi.py [SOURCE] [--output PATH] [--check]``. With ``--check``
nothing is written and the exit status says whether the committed file is up to date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
DEFAULT_OUTPUT = REPO_ROOT / "emulator" / "botapi.json"

_STRING_LENGTH = re.compile(r"\b(\d+)-(\d+) (characters|bytes|Bytes)\b")
_NUMBER_RANGE = re.compile(
    r"(?<!ISO )\b(\d+)-(\d+)\b|\b[Mm]ust be between (\d+) and (\d+)(?!,? or)"
)
_ARRAY_ITEMS = (
    re.compile(r"\blist of (?P<min>\d+)-(?P<max>\d+)\b"),
    re.compile(r"\bmust include (?P<min>\d+)-(?P<max>\d+) items\b"),
    re.compile(r"\bAt most (?P<max>\d+) [\w ]+ can be specified\b"),
    re.compile(r"\bup to (?P<max>\d+) items\b"),
)
_CONST = re.compile(r"(?:\bmust be ([a-z_]+)\s*$|\balways [\"“]([a-z_]+)[\"”])")
_ENUM_LEAD = re.compile(
    r"(?:^|[.,;] ?)(?:[Mm]ust be one of|[Cc]urrently,? (?:it )?(?:can be|one of)|can be either"
    r"|[Cc]an be one of|[Oo]ne of) (?P<rest>[\"“].*?)(?:\.\s|\.?$)"
)
_QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")
_CHOOSE_ONE = re.compile(
    r"Choose one, depending on what the user is about to receive: (?P<rest>.*)"
)
_ACTION_WORD = re.compile(r"\b([a-z]+_[a-z_]+|typing)\b(?= for | or )")
_REQUIRED_UNLESS = re.compile(
    r"[Rr]equired if (?P<names>[a-z_]+(?: and [a-z_]+)*) (?:is|are) not specified"
    r"|[Rr]equired if (?P<name>[a-z_]+) isn't specified"
)
_REQUIRED_WITH = re.compile(r"[Rr]equired if (?P<name>[a-z_]+) is specified")
_ONE_OF = re.compile(
    r"(?P<mode>Exactly|At most) one of the fields other than (?P<others>[a-z_, ]+?) must be used"
)
_STRING_ALLOWED = "String can be used instead of this object"


def _string_limits(description: str) -> dict[str, Any]:
    match = _STRING_LENGTH.search(description)
    if match is None:
        return {}
    low, high = int(match.group(1)), int(match.group(2))
    if low > high:
        return {}
    unit = "bytes" if match.group(3).lower() == "bytes" else "characters"
    length: dict[str, Any] = {"min": low, "max": high, "unit": unit}
    if "after entit" in description:
        length["after_entities"] = True
    return {"length": length}


def _number_limits(description: str) -> dict[str, Any]:
    ranges = []
    for match in _NUMBER_RANGE.finditer(description):
        low, high = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        if int(low) <= int(high):
            ranges.append((int(low), int(high)))
    # Several ranges mean the bounds depend on another field (e.g. Dice.value): keep none.
    if len(ranges) != 1:
        return {}
    return {"range": {"min": ranges[0][0], "max": ranges[0][1]}}


def _array_limits(description: str) -> dict[str, Any]:
    for pattern in _ARRAY_ITEMS:
        match = pattern.search(description)
        if match is not None:
            bounds = match.groupdict()
            items = {"max": int(bounds["max"])}
            if bounds.get("min") is not None:
                items["min"] = int(bounds["min"])
            return {"items": items}
    return {}


def _string_values(description: str) -> dict[str, Any]:
    const = _CONST.search(description)
    if const is not None:
        return {"const": const.group(1) or const.group(2)}
    choose = _CHOOSE_ONE.search(description)
    if choose is not None:
        return {"enum": _ACTION_WORD.findall(choose.group("rest"))}
    lead = _ENUM_LEAD.search(description)
    if lead is not None:
        values = _QUOTED.findall(lead.group("rest"))
        if values:
            return {"enum": values}
    return {}


def _conditions(description: str) -> dict[str, Any]:
    unless = _REQUIRED_UNLESS.search(description)
    if unless is not None:
        names = unless.group("names") or unless.group("name")
        return {"required_unless": names.split(" and ")}
    with_ = _REQUIRED_WITH.search(description)
    if with_ is not None:
        return {"required_with": [with_.group("name")]}
    return {}


def prune_field(raw: dict[str, Any]) -> dict[str, Any]:
    """Keep a field's shape and the limits stated in its description."""
    types: list[str] = list(raw["types"])
    description: str = raw.get("description", "")
    field: dict[str, Any] = {"name": raw["name"], "types": types, "required": raw["required"]}
    if "String" in types:
        field.update(_string_limits(description))
        if types == ["String"] or types == ["Array of String"]:
            field.update(_string_values(description))
    if types in (["Integer"], ["Float"]):
        field.update(_number_limits(description))
    if any(kind.startswith("Array of") for kind in types):
        field.update(_array_limits(description))
    field.update(_conditions(description))
    return field


def prune_type(raw: dict[str, Any]) -> dict[str, Any]:
    """Keep a type's fields, union subtypes and the object-level rules of its description."""
    pruned: dict[str, Any] = {}
    if raw.get("subtypes"):
        pruned["subtypes"] = list(raw["subtypes"])
    pruned["fields"] = [prune_field(field) for field in raw.get("fields", [])]
    if raw.get("subtype_of"):
        pruned["subtype_of"] = list(raw["subtype_of"])
    description = " ".join(raw.get("description", []))
    one_of = _ONE_OF.search(description)
    if one_of is not None:
        others = [name.strip() for name in re.split(r",|\band\b", one_of.group("others"))]
        pruned["one_of"] = {
            "mode": "exactly" if one_of.group("mode") == "Exactly" else "at_most",
            "except": [name for name in others if name],
        }
    if _STRING_ALLOWED in description:
        pruned["string_allowed"] = True
    return pruned


def prune(api: dict[str, Any], source_sha256: str) -> dict[str, Any]:
    """Build the pruned specification from the parsed source document."""
    methods = {
        name: {
            "returns": list(method["returns"]),
            "params": [prune_field(field) for field in method.get("fields", [])],
        }
        for name, method in api["methods"].items()
    }
    types = {name: prune_type(kind) for name, kind in api["types"].items()}
    return {
        "version": api["version"],
        "release_date": api["release_date"],
        "source_sha256": source_sha256,
        "methods": methods,
        "types": types,
    }


def render(source: Path) -> str:
    """Return the text of botapi.json generated from ``source``."""
    raw = source.read_bytes()
    pruned = prune(json.loads(raw), hashlib.sha256(raw).hexdigest())
    return json.dumps(pruned, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output is not up to date"
    )
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source}: no such file", file=sys.stderr)
        return 2
    text = render(args.source)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is out of date: run scripts/prune_botapi.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
