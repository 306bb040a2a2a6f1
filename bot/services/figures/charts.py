"""A PNG chart of approved hours per month, stacked by project, made to be read on a phone.

Telegram shows a photo about as wide as the phone's screen, some 400 CSS pixels, whatever
its own width: the chart is drawn 1080 pixels wide and every text is sized so that it is
at least 12 pixels tall once shrunk to that width. Numbers are formatted by Babel for the
reader's locale ("1.234,5" in Italian). The words come already translated.

matplotlib is imported inside the functions: it takes longer to load than the rest of the
bot, and only staff asking for figures need it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.i18n import babel_locale
from bot.services.figures.key_figures import Figures
from bot.services.figures.periods import months_between

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Projects drawn one by one; the rest are summed into one "other projects" band.
MAX_SERIES = 8
WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 150
SHOWN_AT_PX = 400  # about how wide a phone shows a photo, in CSS pixels
SMALLEST_TEXT_PX = 12  # on the phone's screen: tick labels, legend
AXIS_TEXT_PX = 13
TITLE_TEXT_PX = 15


def points(shown_px: float) -> float:
    """The font size, in points of this figure, of text `shown_px` tall on the phone."""
    return shown_px * WIDTH_PX / SHOWN_AT_PX * 72 / DPI


@dataclass(frozen=True)
class ChartWording:
    title: str
    hours_axis: str
    months_axis: str
    other_projects: str


def hours_chart(
    figures: Figures, wording: ChartWording, names: dict[str, str], locale: str
) -> bytes:
    """The chart of `hours_figure` as a PNG."""
    chart = hours_figure(figures, wording, names, locale)
    output = io.BytesIO()
    chart.savefig(output, format="png", dpi=DPI)
    return output.getvalue()


def hours_figure(
    figures: Figures, wording: ChartWording, names: dict[str, str], locale: str
) -> Figure:
    """Stacked bars of approved hours per month; names maps project codes to their titles."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    months = months_between(figures.date_from, figures.date_to)
    series = _series(figures, months, names, wording.other_projects)
    chart = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    axes = chart.subplots()
    positions = list(range(len(months)))
    bottom = [0.0] * len(months)
    for label, hours in series:
        axes.bar(positions, hours, bottom=bottom, label=label)
        bottom = [b + h for b, h in zip(bottom, hours, strict=True)]
    where = babel_locale(locale)
    month_labels = [format_date(date(y, m, 1), "MMM yy", locale=where) for y, m in months]
    # Twelve months side by side need slanting to fit at this size; one or two do not.
    axes.set_xticks(positions, month_labels, rotation=45 if len(months) > 4 else 0, ha="right")
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_decimal(value, format="#,##0.##", locale=where))
    )
    axes.tick_params(labelsize=points(SMALLEST_TEXT_PX))
    axes.set_ylabel(wording.hours_axis, fontsize=points(AXIS_TEXT_PX))
    axes.set_xlabel(wording.months_axis, fontsize=points(AXIS_TEXT_PX))
    axes.set_title(wording.title, fontsize=points(TITLE_TEXT_PX))
    if series:
        # Below the bars, one project a line: beside them would leave the bars no room.
        chart.legend(loc="outside lower center", ncols=1, fontsize=points(SMALLEST_TEXT_PX))
    return chart


def _short(title: str, limit: int = 32) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _series(
    figures: Figures, months: list[tuple[int, int]], names: dict[str, str], other: str
) -> list[tuple[str, list[float]]]:
    index = {month: position for position, month in enumerate(months)}
    drawn = [project.code for project in figures.projects[:MAX_SERIES]]
    hours: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(months))
    for entry in figures.months:
        key = entry.project_code if entry.project_code in drawn else other
        hours[key][index[(entry.year, entry.month)]] += entry.minutes / 60
    series = [(_short(names.get(code, code)), hours[code]) for code in drawn if code in hours]
    if other in hours:
        series.append((other, hours[other]))
    return series
