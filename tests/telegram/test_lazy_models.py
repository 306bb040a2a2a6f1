"""aiogram's models built on first use read and write Bot API data as when built at import.

Each check runs in a fresh interpreter: whether the models are deferred is
decided once, by whichever of `bot` and `aiogram` is imported first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "date": 1764590400,
            "chat": {"id": 42, "type": "private", "first_name": "Giulia"},
            "from": {"id": 42, "is_bot": False, "first_name": "Giulia", "language_code": "it"},
            "text": "/hours 2h30 today orti-montenero",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    },
    {
        "update_id": 2,
        "message": {
            "message_id": 8,
            "date": 1764590460,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Giulia"},
            "location": {"latitude": 44.6983, "longitude": 10.6312},
        },
    },
    {
        "update_id": 3,
        "callback_query": {
            "id": "c1",
            "chat_instance": "ci",
            "from": {"id": 42, "is_bot": False, "first_name": "Giulia"},
            "data": "hub:details:3",
            "message": {
                "message_id": 9,
                "date": 1764590520,
                "chat": {"id": 42, "type": "private"},
                "text": "Casa di quartiere",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "📍", "callback_data": "hub:venue:3"}]]
                },
            },
        },
    },
]

# Reads the updates, answers one with a message and keyboard, and reports what
# the models made of both, and which models were built along the way.
PROGRAM = """
import json, sys
if sys.argv[1] == "bot":
    import bot
from aiogram import methods, types
from aiogram.client.default import Default
from bot.telegram.tuning import lazy_models

def run():
    updates = [types.Update.model_validate(u) for u in json.loads(sys.argv[2])]
    answer = methods.SendMessage(
        chat_id=42,
        text="<b>Ciao</b>",
        reply_markup=types.InlineKeyboardMarkup(
            inline_keyboard=[[types.InlineKeyboardButton(text="Orari", callback_data="hub:week:3")]]
        ),
    )
    echoed = json.loads(sys.argv[2])[2]["callback_query"]["message"]
    sent = methods.SendMessage.__returning__.model_validate(echoed)
    print(json.dumps({
        "updates": [u.model_dump(mode="json", exclude_none=True) for u in updates],
        "answer": {
            k: v
            for k, v in answer.model_dump(exclude_none=True).items()
            if not isinstance(v, Default)
        },
        "sent": sent.model_dump(mode="json", exclude_none=True),
        "deferred": lazy_models.deferred(),
    }))

def deeper(levels):
    # Deferred models find their namespace a few frames up, as in any real call.
    return deeper(levels - 1) if levels else run()

deeper(8)
"""


def read_in_fresh_interpreter(first_import: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, first_import, json.dumps(UPDATES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(result.stdout))


def test_models_built_on_first_use_read_and_write_as_aiogram_builds_them() -> None:
    deferred = read_in_fresh_interpreter("bot")
    eager = read_in_fresh_interpreter("aiogram")

    for key in ("updates", "answer", "sent"):
        assert deferred[key] == eager[key]
    assert deferred["updates"][1]["message"]["location"]["latitude"] == 44.6983
    assert deferred["answer"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Orari"


def test_models_no_update_needed_are_never_built() -> None:
    deferred = read_in_fresh_interpreter("bot")["deferred"]
    eager = read_in_fresh_interpreter("aiogram")["deferred"]

    assert eager == []
    assert "Poll" in deferred and "Invoice" in deferred and "StickerSet" in deferred
    assert "InlineKeyboardMarkup" not in deferred and "Message" not in deferred


ALL_MODELS = """
import inspect, json, sys
import bot
from aiogram import methods, types
from pydantic import BaseModel

def run():
    broken = []
    for module in (types, methods):
        for name in module.__all__:
            model = getattr(module, name)
            if inspect.isclass(model) and issubclass(model, BaseModel):
                try:
                    model.__pydantic_validator__.title
                except Exception as error:
                    broken.append(f"{name}: {error}")
    print(json.dumps(broken))

def deeper(levels):
    return deeper(levels - 1) if levels else run()

deeper(8)
"""


def test_every_bot_api_type_and_method_can_still_be_built() -> None:
    result = subprocess.run(
        [sys.executable, "-c", ALL_MODELS], capture_output=True, text=True, check=True, timeout=300
    )

    assert json.loads(result.stdout) == []
