"""/myhours: approved and pending hours this month, this year and overall, by project."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import HourReport, Project
from tests.support.harness import BotHarness, button_labels
from tests.support.programme import AFTER_THE_SHIFTS, LUCA, MARIA, Programme, say


async def _add(programme: Programme, user: int, code: str, day: date, minutes: int, status: str):
    """A report as the service would have left it (old ones could not be logged today)."""
    async with programme.sessions() as session:
        project_id = await session.scalar(select(Project.id).where(Project.code == code))
        session.add(
            HourReport(
                telegram_id=user,
                project_id=project_id,
                work_date=day,
                minutes=minutes,
                status=status,
                created_at=AFTER_THE_SHIFTS,
                updated_at=AFTER_THE_SHIFTS,
            )
        )
        await session.commit()


async def _history(programme: Programme) -> None:
    await _add(programme, LUCA, "orti", date(2026, 12, 5), 180, "approved")  # this month
    await _add(programme, LUCA, "orti", date(2026, 11, 14), 90, "approved")  # this year
    await _add(programme, LUCA, "orti", date(2025, 6, 1), 74_940, "approved")  # long ago
    await _add(programme, LUCA, "orti", date(2026, 12, 7), 45, "pending")
    await _add(programme, LUCA, "spid-help", date(2026, 12, 7), 120, "approved")
    await _add(programme, LUCA, "spid-help", date(2026, 12, 1), 600, "rejected")  # not counted
    await _add(programme, MARIA, "orti", date(2026, 12, 5), 999, "approved")  # someone else's


async def test_totals_by_project_and_in_all_in_english(
    harness: BotHarness, programme: Programme
) -> None:
    await _history(programme)
    reply = await say(harness, LUCA, "/myhours")
    assert reply["text"].split("\n") == [
        "Your volunteering hours (month: December 2026)",
        "",
        "Shared gardens",
        "Approved: 3 h this month · 4 h 30 min this year · 1,253 h 30 min overall",
        "Pending: 45 min this month · 45 min this year · 45 min overall",
        "",
        "Ago, Filo e Spid (digital help)",
        "Approved: 2 h this month · 2 h this year · 2 h overall",
        "",
        "In all",
        "Approved: 5 h this month · 6 h 30 min this year · 1,255 h 30 min overall",
        "Pending: 45 min this month · 45 min this year · 45 min overall",
        "",
        "Awaiting a tutor's approval",
        "1. Mon 7 Dec 2026 · Shared gardens · 45 min",
    ]
    assert "Certificate of hours" in button_labels(reply)


async def test_totals_in_italian_group_thousands_the_italian_way(
    harness: BotHarness, programme: Programme
) -> None:
    await _history(programme)
    reply = await say(harness, LUCA, "/myhours", locale="it")
    lines = reply["text"].split("\n")
    assert lines[0] == "Le tue ore di volontariato (mese: dicembre 2026)"
    assert lines[2:5] == [
        "Orti condivisi",
        "Approvate: 3 h questo mese · 4 h 30 min quest'anno · 1.253 h 30 min in tutto",
        "In attesa: 45 min questo mese · 45 min quest'anno · 45 min in tutto",
    ]
    assert "1. lun 7 dic 2026 · Orti condivisi · 45 min" in lines
    assert "Attestato delle ore" in button_labels(reply)


async def test_a_new_year_starts_the_year_and_month_from_zero(
    harness: BotHarness, programme: Programme
) -> None:
    await _add(programme, MARIA, "orti", date(2026, 12, 5), 180, "approved")
    harness.clock.set(AFTER_THE_SHIFTS.replace(year=2027, month=1, day=2))
    reply = await say(harness, MARIA, "/myhours")
    assert "Approved: 0 min this month · 0 min this year · 3 h overall" in reply["text"]


async def test_without_reports_myhours_points_to_hours(
    harness: BotHarness, programme: Programme
) -> None:
    reply = await say(harness, MARIA, "/myhours")
    assert reply["text"] == "You have not logged any hours yet. Log them with /hours."
