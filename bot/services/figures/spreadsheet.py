"""The key figures as an .xlsx workbook, for staff who open them on a phone or in a spreadsheet.

The command line keeps its CSV (the office's scripts read it); in the chat a workbook shows
numbers as numbers, months as dates and headers in the reader's language. Every text cell is
stored as text, so a title such as `=HYPERLINK(...)` is shown as written and never runs
(bot/csv_cells.py says why that matters). The words come already translated.

openpyxl is imported inside the function: only staff asking for figures need it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.i18n import pick
from bot.services.figures.key_figures import Figures

Cell = str | int | float | date

HOURS_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
MONTH_FORMAT = "mmm yyyy"
# Characters an .xlsx cell cannot hold (XML 1.0 forbids them): dropped from titles.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MIN_WIDTH, MAX_WIDTH = 8, 50


@dataclass(frozen=True)
class SheetWording:
    """The translated words of the workbook."""

    projects_sheet: str
    months_sheet: str
    project_code: str
    project: str
    volunteers: str
    hours: str
    minutes: str
    tutors: str
    month: str
    total: str


@dataclass(frozen=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    formats: tuple[str | None, ...]  # a number format per column; None for text


def figures_sheets(
    figures: Figures, words: SheetWording, locale: str, default_locale: str
) -> list[Sheet]:
    """A sheet of the projects with the total, and one of the approved hours per month."""
    projects: list[Sequence[Cell]] = [
        (
            p.code,
            pick(p.title, locale, default_locale),
            p.volunteers,
            p.minutes / 60,
            p.minutes,
            p.tutors,
        )
        for p in figures.projects
    ]
    projects.append(
        ("", words.total, figures.volunteers, figures.minutes / 60, figures.minutes, figures.tutors)
    )
    titles = {p.code: pick(p.title, locale, default_locale) for p in figures.projects}
    months: list[Sequence[Cell]] = [
        (
            date(m.year, m.month, 1),
            m.project_code,
            titles.get(m.project_code, m.project_code),
            m.minutes / 60,
            m.minutes,
        )
        for m in sorted(figures.months, key=lambda m: (m.year, m.month, m.project_code))
    ]
    return [
        Sheet(
            words.projects_sheet,
            (
                words.project_code,
                words.project,
                words.volunteers,
                words.hours,
                words.minutes,
                words.tutors,
            ),
            projects,
            (None, None, COUNT_FORMAT, HOURS_FORMAT, COUNT_FORMAT, COUNT_FORMAT),
        ),
        Sheet(
            words.months_sheet,
            (words.month, words.project_code, words.project, words.hours, words.minutes),
            months,
            (MONTH_FORMAT, None, None, HOURS_FORMAT, COUNT_FORMAT),
        ),
    ]


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file: bold frozen header, typed cells, columns sized to fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(_sheet_title(sheet.title))
        page.append([_text(word) for word in sheet.header])
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append([_value(value) for value in row])
        for row in page.iter_rows(min_row=2):
            for cell, number_format in zip(row, sheet.formats, strict=False):
                _keep_as_text(cell)
                if number_format and not isinstance(cell.value, str):
                    cell.number_format = number_format
        for row in page.iter_rows(max_row=1):
            for cell in row:
                _keep_as_text(cell)
        page.freeze_panes = "A2"
        _fit_columns(page, sheet)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def _value(value: Cell) -> Cell:
    return _text(value) if isinstance(value, str) else value


def _keep_as_text(cell: Any) -> None:
    """openpyxl takes text starting with `=` for a formula: it stays text, shown as written."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True  # a spreadsheet editing the cell keeps it text too


def _sheet_title(title: str) -> str:
    # Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", _text(title))[:31] or "Sheet"


def _fit_columns(page: Any, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter

    for index, word in enumerate(sheet.header):
        longest = max(
            [len(word)] + [len(_shown(row[index])) for row in sheet.rows if index < len(row)]
        )
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        page.column_dimensions[get_column_letter(index + 1)].width = width


def _shown(value: Cell) -> str:
    """About as many characters as the spreadsheet shows for the value."""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return "Sept 2026"
    return str(value)
