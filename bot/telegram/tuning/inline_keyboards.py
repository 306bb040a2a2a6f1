"""Inline keyboards built directly from rows of buttons.

aiogram's InlineKeyboardBuilder deep-copies every button on each step, which costs more
than the rest of a busy handler; on hot paths the markup is assembled here instead.

Why: a keyboard of 12 buttons in 6 rows took 640-810 µs through InlineKeyboardBuilder against
27-41 µs built directly (timed in process, 2026-12-01; BENCHMARKS.md, "After the pool and
hot-path fixes"). With FRAMEWORK_TUNING=off the builder is used.

Checked against aiogram 3.31.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram import tuning


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def in_rows(
    buttons: Sequence[InlineKeyboardButton], width: int
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[start : start + width]) for start in range(0, len(buttons), width)]


def markup(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    if not tuning.ON:
        builder = InlineKeyboardBuilder()
        for row in rows:
            if row:
                builder.row(*row)
        return builder.as_markup()
    return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in rows if row])
