"""Inline keyboards shared by several handlers."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.services.people.users import QuartiereChoice
from handlers.shared.callbacks import LanguagePick, QuartierePage, QuartierePick

# cache: a constant lookup table, only read
LANGUAGE_NAMES = {"it": "🇮🇹 Italiano", "en": "🇬🇧 English"}
PAGE_SIZE = 10
# A phone shows about this many characters of a button before Telegram cuts it itself.
LABEL_LIMIT = 30


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """A button's text cut to `limit` characters with an ellipsis, so a phone shows its end."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_label(icon: str, name: str) -> str:
    """The label of one item of a list: its icon and its name, short enough for a phone."""
    return short_label(f"{icon} {name}")


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguagePick(code=code))
    return builder.as_markup()


def quartiere_keyboard(choices: list[QuartiereChoice], page: int) -> InlineKeyboardMarkup:
    """One page of quartieri, two a row, with a way back and forth and 'none'."""
    pages = max(1, -(-len(choices) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    builder = InlineKeyboardBuilder()
    for choice in choices[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        builder.button(
            text=short_label(choice.name), callback_data=QuartierePick(quartiere_id=choice.id)
        )
    builder.adjust(2)
    navigation = InlineKeyboardBuilder()
    if page > 0:
        navigation.button(text="◀️", callback_data=QuartierePage(page=page - 1))
    if page < pages - 1:
        navigation.button(text="▶️", callback_data=QuartierePage(page=page + 1))
    builder.attach(navigation)
    builder.row()
    builder.button(text=_("No home quartiere"), callback_data=QuartierePick(quartiere_id=0))
    builder.adjust(*([2] * ((min(PAGE_SIZE, len(choices)) + 1) // 2)), 2, 1)
    return builder.as_markup()
