"""The certificate of approved hours: a PDF in the volunteer's language, checked by its code."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from handlers.shared.callbacks import CertificateMenu
from storage.models import HourCertificate
from tests.figures.data import FATIMA, IVAN, MARIA, NAMES, NOT_REGISTERED, seed_hours
from tests.support.cli import cli
from tests.support.harness import BotHarness, button_labels


@pytest.fixture
async def hours_bot(harness: BotHarness) -> BotHarness:
    await seed_hours(harness.sessions)
    return harness


async def open_menu(bot: BotHarness, user: int, locale: str = "en") -> dict[str, Any]:
    """Presses the certificate button that /myhours carries."""
    [anchor] = await bot.say(user, "/help", language_code=locale)
    bot.emulator.user_sends_callback(
        user, CertificateMenu().pack(), message_id=anchor["message_id"]
    )
    await bot.process()
    return bot.emulator.last_bot_message(user)


async def certificate(bot: BotHarness, user: int, period: str, locale: str = "en") -> Any:
    menu = await open_menu(bot, user, locale)
    answer, sent = await bot.press(user, menu, period)
    return answer, sent


def pdf_text(bot: BotHarness, message: dict[str, Any]) -> str:
    data = bot.emulator.file(message["document"]["file_id"]).data
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # the lines as wrapped on the page, joined


def saved_code(message: dict[str, Any]) -> str:
    name = message["document"]["file_name"]
    assert name.startswith("certificate-") and name.endswith(".pdf")
    return name.removeprefix("certificate-").removesuffix(".pdf")


async def test_the_menu_offers_this_year_last_year_and_all(hours_bot: BotHarness) -> None:
    menu = await open_menu(hours_bot, IVAN)
    assert "for which period?" in menu["text"]
    assert button_labels(menu) == ["This year", "Last year", "All my hours"]


async def test_a_cyrillic_name_and_this_years_figures_are_in_the_pdf(
    hours_bot: BotHarness,
) -> None:
    answer, [document] = await certificate(hours_bot, IVAN, "This year")
    assert answer is not None
    code = saved_code(document)
    assert f"Verification code: {code}" in document["caption"]
    text = pdf_text(hours_bot, document)
    assert NAMES[IVAN] in text
    assert "Certificate of volunteer hours" in text
    # Shared gardens 150 + 90 minutes, digital help 120 minutes, in 2026 up to today.
    assert "from 1 January 2026 to 2 December 2026" in text
    assert "Shared gardens 4" in text
    assert "Ago, Filo e Spid (digital help) 2" in text
    assert "Total 6" in text
    assert "gave 6 hours of civic volunteering" in text
    assert f"Verification code: {code}" in text
    assert "Issued on 2 December 2026." in text


async def test_an_arabic_name_prints_in_an_italian_certificate(hours_bot: BotHarness) -> None:
    _, [document] = await certificate(hours_bot, FATIMA, "Quest'anno", locale="it")
    text = pdf_text(hours_bot, document)
    assert NAMES[FATIMA] in text
    assert "Attestato di ore di volontariato" in text
    assert "Orti condivisi 3" in text  # 180 minutes
    assert "Ago, Filo e Spid 0,5" in text  # 30 minutes on 1 January, the first day counts
    assert "Totale 3,5" in text


@pytest.mark.parametrize(
    ("period", "total", "first_day"),
    [("Last year", "Total 1", "1 January 2025"), ("All my hours", "Total 7", "3 May 2025")],
)
async def test_other_periods_certify_their_own_hours(
    period: str, total: str, first_day: str, hours_bot: BotHarness
) -> None:
    _, [document] = await certificate(hours_bot, IVAN, period)
    text = pdf_text(hours_bot, document)
    assert total in text
    assert f"from {first_day}" in text


async def test_nothing_to_certify_gets_an_answer_and_no_pdf(hours_bot: BotHarness) -> None:
    answer, sent = await certificate(hours_bot, MARIA, "This year")  # only pending this year
    assert sent == []
    assert answer is not None and "no approved hours in this period" in answer["text"]
    answer, sent = await certificate(hours_bot, NOT_REGISTERED, "All my hours")
    assert sent == []
    assert answer is not None and "register" in answer["text"]
    async with hours_bot.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HourCertificate)) == 0


async def test_verify_confirms_an_issued_code_and_refuses_an_unknown_one(
    hours_bot: BotHarness, database_url: str, tmp_path: Path
) -> None:
    _, [document] = await certificate(hours_bot, FATIMA, "This year")
    code = saved_code(document)
    async with hours_bot.sessions() as session:
        saved = await session.scalar(select(HourCertificate))
    assert saved is not None and saved.code == code and saved.minutes == 210
    assert saved.projects == [
        {"code": "orti", "title": "Shared gardens", "minutes": 180},
        {"code": "spid-help", "title": "Ago, Filo e Spid (digital help)", "minutes": 30},
    ]
    # Typed by hand: lower case, no dash.
    result = cli("verify", code.lower().replace("-", ""), database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.decode("utf-8")
    assert f"certificate {code}: valid" in printed
    assert f"volunteer: {NAMES[FATIMA]} (Telegram id {FATIMA})" in printed
    assert "period: 2026-01-01 to 2026-12-02" in printed
    assert "approved hours: 3.5 (210 minutes)" in printed
    unknown = cli("verify", "AAAAA-BBBBB", database_url=database_url, cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stdout == b""
    assert unknown.stderr.strip() == "error: unknown certificate code 'AAAAA-BBBBB'"
