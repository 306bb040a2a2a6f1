"""The certificate of approved hours: a PDF in the volunteer's language, checked by its code."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.runtime.app import create_dispatcher
from bot.services.hours.certificate_pdf import CertificatePage, certificate_pdf, qr_png
from emulator.base import DEFAULT_BOT_USERNAME
from handlers.shared.callbacks import CertificateMenu
from storage.models import HourCertificate
from tests.figures.data import FATIMA, IVAN, MARIA, NAMES, NOT_REGISTERED, seed_hours
from tests.support import fixtures
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
    found = re.search(r"Verification code: (\S+)$", message["caption"])
    assert found is not None, message["caption"]
    return found.group(1)


def pdf_qr_modules(bot: BotHarness, message: dict[str, Any]) -> bytes:
    """The QR code printed on the certificate, as black and white pixels."""
    data = bot.emulator.file(message["document"]["file_id"]).data
    [image] = PdfReader(io.BytesIO(data)).pages[0].images
    return image.image.convert("1").tobytes()


def qr_modules(text: str) -> bytes:
    png = qr_png(text)
    return Image.open(png).convert("1").tobytes()


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
    assert "by Comune di Reggio Emilia" in printed  # the issuer, as on the certificate
    unknown = cli("verify", "AAAAA-BBBBB", database_url=database_url, cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stdout == b""
    assert unknown.stderr.strip() == "error: unknown certificate code 'AAAAA-BBBBB'"


async def test_the_file_is_named_for_the_volunteer_in_their_language(
    hours_bot: BotHarness,
) -> None:
    _, [english] = await certificate(hours_bot, MARIA, "Last year")
    assert english["document"]["file_name"] == "hours-certificate-2025-rossi.pdf"
    _, [italian] = await certificate(hours_bot, IVAN, "Tutte le mie ore", locale="it")
    assert italian["document"]["file_name"] == "attestato-ore-2025-2026-петров.pdf"
    assert italian["caption"].startswith("Il tuo attestato")


async def test_the_pdf_names_the_issuer_and_how_anyone_can_check_it(
    hours_bot: BotHarness,
) -> None:
    _, [document] = await certificate(hours_bot, IVAN, "This year")
    code = saved_code(document)
    text = pdf_text(hours_bot, document)
    assert text.startswith("Comune di Reggio Emilia Certificate of volunteer hours")
    assert "Issued by Comune di Reggio Emilia." in text
    assert f"send /verify {code} to @{DEFAULT_BOT_USERNAME} on Telegram" in text
    assert "or ask the issuer's office" in text
    assert "quartiere-bot" not in text


async def test_the_issuer_has_a_setting_of_its_own(hours_bot: BotHarness) -> None:
    issuer = "Comune di Reggio Emilia - Servizio Partecipazione"
    settings = fixtures.test_settings(certificate_issuer=issuer)
    await hours_bot.dispatcher.emit_shutdown()
    hours_bot.dispatcher = create_dispatcher(settings, hours_bot.sessions, hours_bot.clock)
    _, [document] = await certificate(hours_bot, IVAN, "This year")
    text = pdf_text(hours_bot, document)
    assert text.startswith("Comune di Reggio Emilia - Servizio Partecipazione Certificate")


async def test_the_qr_code_opens_the_bot_on_the_certificates_verification(
    hours_bot: BotHarness,
) -> None:
    _, [document] = await certificate(hours_bot, FATIMA, "This year")
    code = saved_code(document)
    link = f"https://t.me/{DEFAULT_BOT_USERNAME}?start=verify-{code}"
    assert pdf_qr_modules(hours_bot, document) == qr_modules(link)
    assert pdf_qr_modules(hours_bot, document) != qr_modules(link.replace(code, "ABCDE-FGHJK"))
    # The link starts the bot with the code: it answers as /verify does.
    [answer] = await hours_bot.say(555, f"/start verify-{code}", language_code="en")
    assert f"Certificate {code} is genuine." in answer["text"]
    assert f"Volunteer: {NAMES[FATIMA]}" in answer["text"]


async def test_verify_in_the_chat_answers_whose_it_is_in_both_languages(
    hours_bot: BotHarness,
) -> None:
    _, [document] = await certificate(hours_bot, FATIMA, "This year")
    code = saved_code(document)
    [english] = await hours_bot.say(555, f"/verify {code.lower()}", language_code="en")
    assert english["text"].splitlines() == [
        f"✅ Certificate {code} is genuine.",
        f"Volunteer: {NAMES[FATIMA]}",
        "Period: from 1 January 2026 to 2 December 2026",
        "Approved hours: 3.5 hours",
        "Issued: 2 December 2026, Comune di Reggio Emilia.",
    ]
    [italian] = await hours_bot.say(556, f"/verifica {code}", language_code="it")
    assert italian["text"].splitlines() == [
        f"✅ L'attestato {code} è autentico.",
        f"Nome: {NAMES[FATIMA]}",
        "Periodo: dal 1 gennaio 2026 al 2 dicembre 2026",
        "Ore approvate: 3,5 ore",
        "Rilascio: 2 dicembre 2026, Comune di Reggio Emilia.",
    ]


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("/verify AAAAA-BBBBB", "en", "❌ No certificate has the code AAAAA-BBBBB."),
        ("/verifica AAAAA-BBBBB", "it", "❌ Nessun attestato ha il codice AAAAA-BBBBB."),
        ("/verify", "en", "Send the code printed on the certificate after the command"),
        ("/verifica", "it", "Scrivi dopo il comando il codice stampato sull'attestato"),
    ],
)
async def test_a_wrong_or_missing_code_is_answered_clearly(
    text: str, locale: str, expected: str, hours_bot: BotHarness
) -> None:
    [answer] = await hours_bot.say(555, text, language_code=locale)
    assert answer["text"].startswith(expected)


def test_making_a_certificate_logs_nothing_of_the_font_subsetting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = CertificatePage(
        issuer="Comune",
        title="Certificate",
        name="Ivan Petrov",
        statement="Hours of volunteering.",
        project_heading="Project",
        hours_heading="Hours",
        rows=(("Shared gardens", "3"),),
        total=("Total", "3"),
        footer=("Code ABC",),
        qr_text="https://t.me/bot?start=verify-ABC",
    )
    caplog.set_level(logging.INFO)
    assert certificate_pdf(page).startswith(b"%PDF-")
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
