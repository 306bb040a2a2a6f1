"""Fills the English catalog (the source strings are English, so msgstr repeats msgid) and
clears the fuzzy mark `pybabel update` leaves on every catalog's header.

`make i18n-extract` runs it; Italian is translated by hand in its .po file.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
PO = LOCALES / "en" / "LC_MESSAGES" / "messages.po"


def clear_header_marks() -> None:
    for path in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        if catalog.fuzzy:
            catalog.fuzzy = False
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, no_location=True)


def main() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        message.string = message.id
        message.flags.discard("fuzzy")
    catalog.fuzzy = False
    with PO.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, width=100, no_location=True)


if __name__ == "__main__":
    main()
    clear_header_marks()
