"""The hours chart reads on a phone: large enough text, the reader's number format."""

from __future__ import annotations

import re
import struct
from datetime import date

import pytest
from matplotlib.text import Text

from bot.services.figures.charts import (
    DPI,
    SHOWN_AT_PX,
    WIDTH_PX,
    ChartWording,
    hours_chart,
    hours_figure,
)
from bot.services.figures.key_figures import Figures, MonthFigures
from storage.repositories.hour_figures import ProjectTotal

WORDS = ChartWording(title="Ore", hours_axis="ore", months_axis="mese", other_projects="altri")


def year_of(*minutes_per_month: int) -> Figures:
    """Figures of one project from January, one month per value."""
    total = sum(minutes_per_month)
    project = ProjectTotal(1, "orti", {"it": "Orti condivisi"}, 3, total, 1)
    months = tuple(
        MonthFigures("orti", 2026, month, minutes)
        for month, minutes in enumerate(minutes_per_month, start=1)
    )
    last = date(2026, len(minutes_per_month), 28)
    return Figures(date(2026, 1, 1), last, (project,), 3, total, 1, months)


def hour_labels(figures: Figures, locale: str) -> list[str]:
    chart = hours_figure(figures, WORDS, {"orti": "Orti condivisi"}, locale)
    chart.canvas.draw()  # tick labels are written when the figure is drawn
    [axes] = chart.axes
    return [label.get_text() for label in axes.get_yticklabels() if label.get_text()]


@pytest.mark.parametrize(
    ("locale", "thousands", "decimal"), [("it", "1.200", "0,2"), ("en", "1,200", "0.2")]
)
def test_the_hours_axis_uses_the_readers_number_format(
    locale: str, thousands: str, decimal: str
) -> None:
    big = hour_labels(year_of(60 * 1000, 74_070), locale)  # up to 1,234.5 hours
    assert thousands in big
    small = hour_labels(year_of(30, 90), locale)  # up to 1.5 hours
    assert decimal in small
    group, point = (r"\.", ",") if locale == "it" else (",", r"\.")
    shape = re.compile(rf"\d{{1,3}}({group}\d{{3}})*({point}\d+)?")
    assert all(shape.fullmatch(label) for label in big + small), big + small


def test_every_text_is_at_least_12_pixels_on_a_phone_and_the_png_is_1080_wide() -> None:
    figures = year_of(*(60 * n for n in range(1, 13)))
    chart = hours_figure(figures, WORDS, {"orti": "Orti condivisi"}, "it")
    chart.canvas.draw()
    texts = [t for t in chart.findobj(Text) if t.get_text() and t.get_visible()]
    assert {"ore", "mese", "Ore", "Orti condivisi", "dic 26"} <= {t.get_text() for t in texts}
    for text in texts:
        on_phone = text.get_fontsize() * DPI / 72 * SHOWN_AT_PX / WIDTH_PX
        assert on_phone >= 12, text.get_text()
    png = hours_chart(figures, WORDS, {"orti": "Orti condivisi"}, "it")
    width, _height = struct.unpack(">II", png[16:24])
    assert width == WIDTH_PX
