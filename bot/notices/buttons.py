"""Inline buttons of the notices as plain Bot API data, with aiogram's callback strings.

`pack` writes what `CallbackData.pack()` of handlers/shared/callbacks.py writes for the same values
(prefix and fields, in order, joined by ":"), so the handlers' filters read these buttons
as their own; tests/outbox/test_notice_buttons.py holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

SEPARATOR = ":"
MAX_BYTES = 64  # Telegram's limit on callback data

Button = dict[str, str]
Markup = dict[str, Any]


def pack(prefix: str, *values: str | int | bool | None) -> str:
    parts = [prefix, *(_encode(value) for value in values)]
    if any(SEPARATOR in part for part in parts[1:]):
        raise ValueError(f"a value of {prefix!r} contains {SEPARATOR!r}")
    data = SEPARATOR.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data of {prefix!r} is over {MAX_BYTES} bytes")
    return data


def _encode(value: str | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def button(text: str, callback_data: str) -> Button:
    return {"text": text, "callback_data": callback_data}


def url_button(text: str, url: str) -> Button:
    return {"text": text, "url": url}


def markup(rows: Iterable[Sequence[Button]]) -> Markup:
    return {"inline_keyboard": [list(row) for row in rows if row]}


# One function per callback class the notices use: the same name, fields and defaults.


# Promotion notices sent before "pl" carry this one: it asks, like ❌ on the /shifts list.
def place_cancel(shift_id: int) -> str:
    return pack("pc", shift_id)


def place_leave(answer: str, shift_id: int, origin: str) -> str:
    return pack("pl", answer, shift_id, origin)


def reminder_answer(answer: str, shift_id: int) -> str:
    return pack("rma", answer, shift_id)


def shift_reply(shift_id: int, tutor_id: int) -> str:
    return pack("srp", shift_id, tutor_id)


def hours_from_shift(shift_id: int) -> str:
    return pack("hfs", shift_id)


def event_act(action: str, event_id: int, page: int = -1, greenway_id: int = 0) -> str:
    return pack("eva", action, event_id, page, greenway_id)


def hours_decide(action: str, report_id: int, check: int, page: int = -1) -> str:
    return pack("hdc", action, report_id, check, page)
