"""/report and /stats: key figures, a spreadsheet and a chart, each only for whom it is meant."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import update

from handlers.shared.callbacks import FiguresPick
from storage.models import Project
from tests.figures.data import GARDENS_TUTOR, IVAN, SPID_TUTOR, seed_hours
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness, button_labels

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def hours_bot(harness: BotHarness) -> BotHarness:
    await seed_hours(harness.sessions)
    return harness


async def figures(
    bot: BotHarness, user: int, command: str, period: str, locale: str = "en"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    [question] = await bot.say(user, command, language_code=locale)
    assert "for which period?" in question["text"] or "per quale periodo?" in question["text"]
    answer, sent = await bot.press(user, question, period)
    assert answer is not None
    return question, sent


def opened(bot: BotHarness, message: dict[str, Any]) -> Workbook:
    return load_workbook(io.BytesIO(bot.emulator.file(message["document"]["file_id"]).data))


def sheet_rows(bot: BotHarness, message: dict[str, Any], sheet: int = 0) -> list[dict[str, Any]]:
    """The rows of a sheet of the sent workbook, by the header's (translated) words."""
    header, *rows = opened(bot, message).worksheets[sheet].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


async def test_a_tutor_reports_only_on_their_own_projects(hours_bot: BotHarness) -> None:
    question, [text, document, chart] = await figures(hours_bot, SPID_TUTOR, "/report", "This year")
    assert button_labels(question) == ["This month", "This year", "Last year"]
    assert "Ago, Filo e Spid (digital help): 2 volunteers, 2.5 hours, 1 tutor" in text["text"]
    assert "Shared gardens" not in text["text"]
    assert "Active volunteers: 2" in text["text"]
    assert "Approved hours: 2.5" in text["text"]
    assert document["document"]["file_name"] == "project-hours-2026.xlsx"
    rows = sheet_rows(hours_bot, document)
    assert [row["Project code"] for row in rows] == ["spid-help", None]
    assert rows[0] == {
        "Project code": "spid-help",
        "Project": "Ago, Filo e Spid (digital help)",
        "Active volunteers": 2,
        "Approved hours": 2.5,
        "Approved minutes": 150,
        "Tutors": 1,
    }
    assert rows[1]["Project"] == "Total" and rows[1]["Approved minutes"] == 150
    data = hours_bot.emulator.file(chart["photo"][-1]["file_id"]).data
    assert data.startswith(PNG)
    assert chart["caption"] == (
        "Approved hours per month, by project, from 1 January 2026 to 2 December 2026."
    )


async def test_an_admin_report_covers_every_project(hours_bot: BotHarness) -> None:
    _, [text, document, _chart] = await figures(hours_bot, ADMIN_ID, "/report", "This month")
    # 1-2 December: Ivan's 90 minutes and Fatima's 180 in the gardens; nothing approved at SPID.
    assert "Shared gardens: 2 volunteers, 4.5 hours, 2 tutors" in text["text"]
    assert "Approved hours: 4.5" in text["text"]
    assert [row["Project code"] for row in sheet_rows(hours_bot, document)] == ["orti", None]


async def test_admin_stats_for_last_year_in_italian(hours_bot: BotHarness) -> None:
    _, [text, document, chart] = await figures(
        hours_bot, ADMIN_ID, "/stats", "L'anno scorso", locale="it"
    )
    assert "dal 1 gennaio 2025 al 31 dicembre 2025" in text["text"]
    assert "Ore approvate: 5" in text["text"] and "• Orti condivisi: " in text["text"]
    assert document["document"]["file_name"] == "ore-programma-2025.xlsx"
    rows = sheet_rows(hours_bot, document)
    assert rows[-1] == {
        "Codice progetto": None,
        "Progetto": "Totale",
        "Volontari attivi": 2,
        "Ore approvate": 5,
        "Minuti approvati": 300,
        "Tutor": 2,
    }
    assert hours_bot.emulator.file(chart["photo"][-1]["file_id"]).data.startswith(PNG)
    assert chart["caption"] == (
        "Ore approvate per mese e per progetto, dal 1 gennaio 2025 al 31 dicembre 2025."
    )


async def test_the_workbook_has_typed_cells_months_as_dates_and_sized_columns(
    hours_bot: BotHarness,
) -> None:
    _, [_text, document, _chart] = await figures(hours_bot, ADMIN_ID, "/stats", "This month")
    assert document["document"]["file_name"] == "programme-hours-2026-12.xlsx"
    book = opened(hours_bot, document)
    assert book.sheetnames == ["Projects", "Months"]
    projects, months = book.worksheets
    assert [cell.font.bold for cell in projects[1]] == [True] * 6
    hours = projects["D2"]
    assert (hours.data_type, hours.value, hours.number_format) == ("n", 4.5, "#,##0.00")
    assert projects.freeze_panes == "A2"
    assert projects.column_dimensions["B"].width >= len("Shared gardens")
    [header, month] = months.iter_rows(values_only=True)
    assert header == ("Month", "Project code", "Project", "Approved hours", "Approved minutes")
    assert month == (datetime(2026, 12, 1), "orti", "Shared gardens", 4.5, 270)
    assert months["A2"].is_date and months["A2"].value.date() == date(2026, 12, 1)


async def test_a_formula_looking_title_stays_text_in_the_sent_workbook(
    hours_bot: BotHarness,
) -> None:
    formula = '=HYPERLINK("http://evil.example", "Orti")'
    async with hours_bot.sessions() as session:
        titled = {"en": formula, "it": formula}
        await session.execute(update(Project).where(Project.code == "orti").values(title=titled))
        await session.commit()
    _, [_text, document, _chart] = await figures(hours_bot, ADMIN_ID, "/stats", "This month")
    projects, months = opened(hours_bot, document).worksheets
    for cell in (projects["B2"], months["C2"]):
        assert (cell.data_type, cell.value) == ("s", formula)  # shown as written, never run
        assert cell.quotePrefix


async def test_a_period_without_approved_hours_says_so(hours_bot: BotHarness) -> None:
    _, sent = await figures(hours_bot, SPID_TUTOR, "/report", "This month")
    assert [message["text"] for message in sent] == [
        "No approved hours from 1 December 2026 to 2 December 2026."
    ]


async def test_stats_are_refused_to_a_tutor_and_report_to_a_citizen(
    hours_bot: BotHarness,
) -> None:
    [refused] = await hours_bot.say(GARDENS_TUTOR, "/stats", language_code="en")
    assert refused["text"] == "The programme's figures are for admins only."
    [citizen] = await hours_bot.say(IVAN, "/report", language_code="en")
    assert citizen["text"] == "Reports are for the projects' tutors and the admins."


@pytest.mark.parametrize(
    ("user", "data"),
    [
        (GARDENS_TUTOR, FiguresPick(scope="stats", period="year")),
        (IVAN, FiguresPick(scope="report", period="year")),
        (IVAN, FiguresPick(scope="stats", period="last_year")),
    ],
)
async def test_a_forged_figures_button_gets_nothing(
    user: int, data: FiguresPick, hours_bot: BotHarness
) -> None:
    [anchor] = await hours_bot.say(user, "/help", language_code="en")
    before = hours_bot.emulator.bot_message_count(user)
    query = hours_bot.emulator.user_sends_callback(
        user, data.pack(), message_id=anchor["message_id"]
    )
    await hours_bot.process()
    answer = hours_bot.emulator.callback_answer(query)
    assert answer is not None and answer.get("show_alert")
    assert "only" in answer["text"] or "are for" in answer["text"]
    assert hours_bot.emulator.bot_message_count(user) == before


def test_the_bot_starts_without_loading_the_chart_and_pdf_libraries() -> None:
    # matplotlib and fpdf2 load on the first /report or certificate, not at start-up.
    code = (
        "import sys, bot.runtime.app; "
        "print(sorted({'matplotlib', 'fpdf', 'numpy', 'openpyxl'} & set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert loaded.stdout.strip() == "[]"
