"""The notices' buttons, built without aiogram, are the ones the handlers' filters answer to."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.i18n import use_locale
from bot.notices import RENDERERS, buttons
from bot.notices.hours import decide_markup
from handlers.shared import callbacks

TITLE = {"it": "Orti condivisi", "en": "Shared gardens"}
SHIFT = {"title": TITLE, "start": "2026-12-05T09:00:00+00:00", "zone": "Europe/Rome"}
EVENT = {
    "title": TITLE,
    "start": "2026-12-06T09:00:00+00:00",
    "end": "2026-12-06T11:00:00+00:00",
    "place": {"it": "Parco"},
    "zone": "Europe/Rome",
}
HOURS = {"title": TITLE, "work_date": "2026-12-05", "minutes": 150}
# One sample per message key; distinct ids, so a field packed in the wrong place shows.
SAMPLES: dict[str, dict[str, Any]] = {
    "shift.tutor_message": {
        **SHIFT,
        "text": "Bring <b>gloves</b>",
        "html": True,
        "tutor": "Anna",
        "shift_id": 35,
        "tutor_id": 36,
    },
    "shift.cancelled": SHIFT,
    "shift.changed": SHIFT,
    "shift.promoted": {**SHIFT, "shift_id": 31},
    "shift.reminder": {**SHIFT, "shift_id": 32, "place": {"it": "Via Roma 1"}},
    "hours.nudge": {**SHIFT, "shift_id": 33},
    "shift.volunteer_reply": {**SHIFT, "text": "Yes", "volunteer": "Maria"},
    "shift.staff_change": {**SHIFT, "event": "cancelled", "volunteer": "Maria"},
    "staff.appointed": {"role": "tutor", "projects": [TITLE]},
    "announcement": {"text": "Hello", "token": "t1"},
    "event.new": {**EVENT, "greenway": {"it": "Crostolo"}, "event_id": 41},
    "event.changed": {**EVENT, "event_id": 42},
    "event.cancelled": {**EVENT, "event_id": 43},
    "event.reminder": {**EVENT, "event_id": 44},
    "event.digest": {"zone": "Europe/Rome", "events": [EVENT], "more": 2},
    "hours.submitted": {**HOURS, "volunteer": "Maria", "report_id": 51, "check": 52},
    "hours.approved": HOURS,
    "hours.rejected": {**HOURS, "reason": "wrong day"},
    "hours.undone": {**HOURS, "status": "approved"},
    "hours.notice_closed": {
        **HOURS,
        "volunteer": "Maria",
        "report_id": 53,
        "check": 54,
        "message_id": 5,
        "status": "pending",
    },
    "reply.deferred": {
        "text": "Your place is confirmed.",
        "reply_markup": {
            "inline_keyboard": [[{"text": "❌", "callback_data": buttons.place_cancel(34)}]]
        },
    },
    "reply.file_later": {},
}


def callback_classes() -> dict[str, type[CallbackData]]:
    found = [
        value
        for value in vars(callbacks).values()
        if isinstance(value, type) and issubclass(value, CallbackData) and value is not CallbackData
    ]
    return {cls.__prefix__: cls for cls in found}


def emitted_buttons(locale: str) -> list[tuple[str, dict[str, Any], str]]:
    """(message key, its parameters, callback data) of every button any renderer emits."""
    found = []
    with use_locale(locale, "it"):
        for key, params in SAMPLES.items():
            rendered = RENDERERS[key](params)
            assert rendered is not None
            markup = rendered.reply_markup or {"inline_keyboard": []}
            for row in markup["inline_keyboard"]:
                found += [(key, params, button["callback_data"]) for button in row]
    return found


def test_every_renderer_has_a_sample() -> None:
    assert set(SAMPLES) == set(RENDERERS)


@pytest.mark.parametrize("locale", ["it", "en"])
def test_every_notice_button_is_what_the_aiogram_class_packs(locale: str) -> None:
    classes = callback_classes()
    found = emitted_buttons(locale)
    assert {key for key, _, _ in found} >= {"shift.promoted", "event.new", "hours.submitted"}
    for key, params, data in found:
        cls = classes[data.split(":")[0]]
        unpacked = cls.unpack(data)  # what the handler's filter reads
        assert unpacked.pack() == data, key
        for name, value in unpacked.model_dump().items():
            if name in params:
                assert value == params[name], (key, name)


@pytest.mark.parametrize(
    ("plain", "aiogram"),
    [
        (buttons.place_cancel(7), callbacks.PlaceCancel(shift_id=7)),
        (
            buttons.place_leave("ask", 7, "notice"),
            callbacks.PlaceLeave(answer="ask", shift_id=7, origin="notice"),
        ),
        (buttons.reminder_answer("no", 8), callbacks.ReminderAnswer(answer="no", shift_id=8)),
        (buttons.hours_from_shift(9), callbacks.HoursFromShift(shift_id=9)),
        (buttons.event_act("go", 10), callbacks.EventAct(action="go", event_id=10)),
        (
            buttons.event_act("ics", 11, page=2, greenway_id=3),
            callbacks.EventAct(action="ics", event_id=11, page=2, greenway_id=3),
        ),
        (
            buttons.hours_decide("reject", 12, 13, page=4),
            callbacks.HoursDecide(action="reject", report_id=12, check=13, page=4),
        ),
        (
            decide_markup(14, 15)["inline_keyboard"][0][0]["callback_data"],
            callbacks.HoursDecide(action="approve", report_id=14, check=15),
        ),
    ],
)
def test_the_plain_packer_writes_what_aiogram_writes(plain: str, aiogram: CallbackData) -> None:
    assert plain == aiogram.pack()
    assert type(aiogram).unpack(plain) == aiogram


def test_a_value_that_would_break_the_data_is_refused() -> None:
    with pytest.raises(ValueError):
        buttons.reminder_answer("a:b", 1)
    with pytest.raises(ValueError):
        buttons.pack("x", "y" * 70)
