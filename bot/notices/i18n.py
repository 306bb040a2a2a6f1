"""Catalog texts in a notice's recipient's language (gettext itself is in bot/i18n.py)."""

from __future__ import annotations

from bot.i18n import current_locale, default_locale, title_text


def picked(translations: dict[str, str] | None) -> str:
    """A catalog text (a title, a place) in the recipient's language, escaped for HTML."""
    return title_text(translations, current_locale(), default_locale())
