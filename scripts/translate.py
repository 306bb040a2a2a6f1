"""Merges translations from a PO file (a translator's returned work) into one language's
catalog: each msgid present in both gets the file's msgstr; others are left as they are.

    python scripts/translate.py it translations.po

The catalog is rewritten under an exclusive lock, so that two merges (or a merge and
`make i18n-extract` run under `flock` on the same lock file) never overwrite each other.
"""

from __future__ import annotations

import argparse
import fcntl
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
# A lock the developers share on purpose (bandit B108: a fixed path under /tmp).
LOCK = Path("/tmp/quartiere-i18n.lock")  # nosec B108


def merge(locale: str, source: Path) -> tuple[int, list[str]]:
    """Returns how many messages were set, and the msgids the catalog does not have."""
    target = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as handle:
        incoming = read_po(handle)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with target.open("rb") as handle:
            catalog = read_po(handle)
        updated, unknown = 0, []
        for message in incoming:
            if not message.id or not message.string:
                continue
            existing = catalog.get(message.id, message.context)
            if existing is None:
                unknown.append(message.id if isinstance(message.id, str) else message.id[0])
                continue
            existing.string = message.string
            existing.flags.discard("fuzzy")
            updated += 1
        with target.open("wb") as handle:
            write_po(handle, catalog, width=100, no_location=True)
    return updated, unknown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("locale", help="the catalog to update, e.g. it")
    parser.add_argument("source", type=Path, help="a PO file with the translations")
    args = parser.parse_args()
    updated, unknown = merge(args.locale, args.source)
    for msgid in unknown:
        sys.stderr.write(f"not in the catalog (run make i18n-extract first): {msgid!r}\n")
    sys.stderr.write(f"{updated} translations set in {args.locale}\n")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
