"""The certificate of hours as a one-page PDF, with an embedded Unicode font.

DejaVu Sans (bundled under bot/data/fonts with its licence) covers Latin with accents,
Cyrillic, Greek and Arabic; text shaping joins Arabic letters and lays them right to left,
so any name in the register prints as written. The words come already translated.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVuSans"
QR_SIZE_MM = 35
QR_SCALE = 8
QR_BORDER = 2
_FONTS = files("bot") / "data" / "fonts"


@dataclass(frozen=True)
class CertificatePage:
    issuer: str
    title: str
    name: str
    statement: str
    project_heading: str
    hours_heading: str
    rows: tuple[tuple[str, str], ...]  # project title, hours as printed
    total: tuple[str, str]
    footer: tuple[str, ...]  # issue date, code, how to verify
    qr_text: str  # what the QR code beside the footer encodes: the verification link


def certificate_pdf(page: CertificatePage) -> bytes:
    # fpdf2 (and the Pillow it brings) and segno load only when a certificate is asked for.
    from fpdf import FPDF

    # fontTools logs each step of subsetting the font at INFO: some forty lines per certificate.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = FPDF(format="A4")
    pdf.set_title(page.title)
    pdf.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    pdf.set_font(FONT, "B", 12)
    _paragraph(pdf, 7, page.issuer, centred=True)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 20)
    _paragraph(pdf, 12, page.title, centred=True)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 16)
    _paragraph(pdf, 10, page.name, centred=True)
    pdf.ln(4)
    pdf.set_font(FONT, "", 12)
    _paragraph(pdf, 7, page.statement)
    pdf.ln(6)
    _table(pdf, page)
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    for text in page.footer:
        _paragraph(pdf, 6, text)
    pdf.ln(4)
    pdf.image(qr_png(page.qr_text), x=pdf.l_margin, w=QR_SIZE_MM, h=QR_SIZE_MM)
    return bytes(pdf.output())


def qr_png(text: str) -> io.BytesIO:
    """The QR code as a PNG of whole-pixel modules, so that a phone camera reads it sharply."""
    import segno

    png = io.BytesIO()
    segno.make(text, error="m").save(png, kind="png", scale=QR_SCALE, border=QR_BORDER)
    png.seek(0)
    return png


def _paragraph(pdf: FPDF, height: float, text: str, centred: bool = False) -> None:
    pdf.multi_cell(0, height, text, align="C" if centred else "L", new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, page: CertificatePage) -> None:
    pdf.set_font(FONT, "", 11)
    with pdf.table(
        col_widths=(4, 1), text_align=("LEFT", "RIGHT"), first_row_as_headings=True
    ) as table:
        table.row((page.project_heading, page.hours_heading))
        for title, hours in page.rows:
            table.row((title, hours))
    pdf.set_font(FONT, "B", 12)
    with pdf.table(
        col_widths=(4, 1), text_align=("LEFT", "RIGHT"), first_row_as_headings=False
    ) as table:
        table.row(page.total)
