"""A PNG chart of approved hours per month, stacked by project.

matplotlib is imported inside the function: it takes longer to load than the rest of the
bot, and only staff asking for figures need it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.services.figures.key_figures import Figures
from bot.services.figures.periods import months_between

# Projects drawn one by one; the rest are summed into one "other projects" band.
MAX_SERIES = 8


@dataclass(frozen=True)
class ChartWording:
    title: str
    hours_axis: str
    other_projects: str


def hours_chart(
    figures: Figures, wording: ChartWording, names: dict[str, str], locale: str
) -> bytes:
    """Stacked bars of approved hours per month; names maps project codes to their titles."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    months = months_between(figures.date_from, figures.date_to)
    series = _series(figures, months, names, wording.other_projects)
    chart = Figure(figsize=(11, 5), dpi=100)
    axes = chart.subplots()
    positions = list(range(len(months)))
    bottom = [0.0] * len(months)
    for label, hours in series:
        axes.bar(positions, hours, bottom=bottom, label=label)
        bottom = [b + h for b, h in zip(bottom, hours, strict=True)]
    axes.set_xticks(
        positions, [format_date(date(y, m, 1), "MMM yy", locale=locale) for y, m in months]
    )
    axes.set_ylabel(wording.hours_axis)
    axes.set_title(wording.title)
    if series:
        # Beside the bars, not over them.
        axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    chart.tight_layout()
    output = io.BytesIO()
    chart.savefig(output, format="png")
    return output.getvalue()


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
