"""Gettext for the notices, without aiogram: the compiled catalogs and the locale of the moment.

The sender renders each notice inside `use_locale(recipient's locale, default)`; the texts
are the same msgids the handlers use, so `make i18n-extract` finds them under `_` and
`ngettext` as anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from babel.support import NullTranslations, Translations

from bot.i18n import locales_dir
from bot.notices.formats import title_text
from bot.settings import SUPPORTED_LOCALES

DOMAIN = "messages"
# (current, default); outside any use_locale the programme's own default applies.
_LOCALE: ContextVar[tuple[str, str]] = ContextVar("notice_locale", default=("it", "it"))


@cache
def _catalog(locale: str) -> NullTranslations:
    if locale not in SUPPORTED_LOCALES:
        return NullTranslations()
    return Translations.load(str(locales_dir()), [locale], DOMAIN)


@contextmanager
def use_locale(locale: str, default: str) -> Iterator[None]:
    token = _LOCALE.set((locale, default))
    try:
        yield
    finally:
        _LOCALE.reset(token)


def current_locale() -> str:
    return _LOCALE.get()[0]


def default_locale() -> str:
    return _LOCALE.get()[1]


def picked(translations: dict[str, str] | None) -> str:
    """A catalog text (a title, a place) in the recipient's language, escaped for HTML."""
    return title_text(translations, current_locale(), default_locale())


def gettext(message: str) -> str:
    return _catalog(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(current_locale()).ngettext(singular, plural, count)


_ = gettext
