"""CSV exports for the programme's office: tables built from the database, written as UTF-8."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from bot import csv_cells
from bot.services.volunteering.membership import MEMBER_SIGNUP_STATUSES
from storage.repositories import register_export as repo

VOLUNTEER_HEADER = (
    "telegram_user_id",
    "full_name",
    "birth_date",
    "phone",
    "registered_on",
    "status",
    "projects",
)
PROJECT_SEPARATOR = ";"


class RegisterStatus(StrEnum):
    VERIFIED = "verified"
    TO_VERIFY = "to_verify"


class ExportError(ValueError):
    """An export that cannot be written; the message says why in one line."""


@dataclass(frozen=True)
class CsvTable:
    header: tuple[str, ...]
    rows: list[tuple[str | int, ...]]
    # What one row is, for the progress line: ("volunteer", "volunteers").
    noun: tuple[str, str]

    def summary(self) -> str:
        singular, plural = self.noun
        return f"{len(self.rows)} {singular if len(self.rows) == 1 else plural}"


async def volunteer_register(session: AsyncSession, timezone: tzinfo) -> CsvTable:
    """The volunteer register, one row per volunteer by Telegram id; dates local to timezone."""
    rows: list[tuple[str | int, ...]] = [
        (
            volunteer.telegram_id,  # a number: a pseudonym's minus sign is no formula
            volunteer.full_name,
            volunteer.birth_date.isoformat(),
            volunteer.phone,
            volunteer.registered_at.astimezone(timezone).date().isoformat(),
            _status(volunteer.identity_verified).value,
            PROJECT_SEPARATOR.join(projects),
        )
        for volunteer, projects in await repo.volunteers_with_projects(
            session, MEMBER_SIGNUP_STATUSES
        )
    ]
    return CsvTable(VOLUNTEER_HEADER, rows, ("volunteer", "volunteers"))


def _status(identity_verified: bool) -> RegisterStatus:
    return RegisterStatus.VERIFIED if identity_verified else RegisterStatus.TO_VERIFY


def write_csv(table: CsvTable, path: Path | None) -> None:
    """Writes the table to path, or to standard output when path is None."""
    with csv_output(path) as stream:
        _write(stream, table.header, table.rows)


@contextlib.contextmanager
def csv_output(path: Path | None) -> Iterator[TextIO]:
    """A stream to write a CSV to: the file at path, or standard output when path is None."""
    if path is None:
        # The CSV is UTF-8 with the csv module's line endings whatever the terminal's locale.
        sys.stdout.flush()
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield stdout
            stdout.flush()
        finally:
            stdout.detach()  # sys.stdout keeps its buffer open for whatever comes next
        return
    try:
        stream = _private_file(path)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    # Opened before the query runs, so a bad --out costs no database work.
    with stream:
        yield stream


def _private_file(path: Path) -> TextIO:
    """Opens path for writing, readable by its owner only (0600): exports hold personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        # A file that existed keeps its mode on open; a device (/dev/stdout) is left alone.
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, 0o600)
    except OSError:
        os.close(descriptor)
        raise
    return open(descriptor, "w", encoding="utf-8", newline="")


def _write(stream: TextIO, header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> None:
    writer = csv_cells.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
