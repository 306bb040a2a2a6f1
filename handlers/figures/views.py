"""Words and numbers shared by the certificate and the figures: hours, periods, date ranges."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date
from babel.numbers import format_decimal

from bot.i18n import babel_locale
from bot.services.figures.periods import Period


def hours_number(minutes: int, locale: str) -> str:
    """Hours with up to two decimals in the user's number format: 90 minutes is 1.5 or 1,5."""
    return format_decimal(minutes / 60, format="#,##0.##", locale=locale)


def hours_in_words(minutes: int, locale: str) -> str:
    # Plural unless exactly one hour: "1 hour", "1.5 hours", "0.5 hours".
    return ngettext("{hours} hour", "{hours} hours", 1 if minutes == 60 else 2).format(
        hours=hours_number(minutes, locale)
    )


def period_label(period: Period) -> str:
    labels = {
        Period.THIS_MONTH: _("This month"),
        Period.THIS_YEAR: _("This year"),
        Period.LAST_YEAR: _("Last year"),
        Period.ALL: _("All my hours"),
    }
    return labels[period]


def date_range(first: date, last: date, locale: str) -> str:
    return _("from {first} to {last}").format(
        first=format_date(first, "long", locale=babel_locale(locale)),
        last=format_date(last, "long", locale=babel_locale(locale)),
    )
