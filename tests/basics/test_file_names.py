"""Files are named for people: words of the title and the local day, never an id."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.file_names import calendar_file
from bot.services.hours.certificates import Certificate, file_name
from tests.support.fixtures import ROME


@pytest.mark.parametrize(
    ("title", "start", "expected"),
    [
        (
            "Camminata lungo il Crostolo",
            datetime(2026, 12, 13, 9, 0, tzinfo=UTC),
            "camminata-crostolo-2026-12-13.ics",
        ),
        (
            "Orti condivisi",
            datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
            "orti-condivisi-2026-12-05.ics",
        ),
        ("Ago, Filo e Spid", datetime(2026, 12, 7, 14, 0, tzinfo=UTC), "ago-filo-2026-12-07.ics"),
        # 23:30 UTC on the 12th is already the 13th in Rome: the day the person sees.
        (
            "Città in festa",
            datetime(2026, 12, 12, 23, 30, tzinfo=UTC),
            "citta-festa-2026-12-13.ics",
        ),
        ("!!!", datetime(2026, 12, 13, 9, 0, tzinfo=UTC), "2026-12-13.ics"),
    ],
)
def test_a_calendar_file_is_named_by_its_title_and_local_day(
    title: str, start: datetime, expected: str
) -> None:
    name = calendar_file(title, start, ROME)
    assert name == expected
    assert "event-" not in name and "shift-" not in name


def test_a_certificate_is_named_by_its_years_and_surname() -> None:
    certificate = Certificate(
        code="ABCD-EFGH",
        telegram_id=1,
        full_name="Marco Bianchi",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 12, 31),
        minutes=600,
        projects=(),
        locale="it",
        issued_at=datetime(2026, 12, 2, tzinfo=UTC),
    )
    assert file_name(certificate, "attestato-ore") == "attestato-ore-2026-bianchi.pdf"
