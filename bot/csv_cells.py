"""CSV cells a spreadsheet shows as text: every CSV the project writes goes through `writer`.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by spreadsheets
as a formula, so a name such as `=HYPERLINK(...)` would run when the office opens the file.
Such text gets a leading `'`; numbers are written as numbers and stay plain.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: object) -> object:
    """The cell as written: text that a spreadsheet would run as a formula gets a `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class InertWriter:
    """`csv.writer` whose text cells are made inert on the way out."""

    def __init__(self, stream: TextIO, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([inert(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: TextIO, **options: Any) -> InertWriter:
    return InertWriter(stream, **options)
