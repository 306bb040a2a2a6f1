"""The bundled botapi.json: generated from the shared specification, and what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from emulator.spec import load_spec

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "telegram-bot-api" / "api.json"


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"{SOURCE} is not available to regenerate from")
def test_botapi_json_is_up_to_date_with_the_prune_script() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "prune_botapi.py"), str(SOURCE), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_spec_names_the_bot_api_version_and_the_methods_the_bot_uses() -> None:
    spec = load_spec()
    assert spec.version.startswith("Bot API ")
    for name in ("getUpdates", "sendMessage", "editMessageText", "setMyCommands", "sendDocument"):
        assert spec.method(name) is not None
    assert spec.method("SENDMESSAGE") is spec.method("sendMessage")


def test_limits_from_the_documentation_are_explicit() -> None:
    spec = load_spec()
    text = spec.methods["sendMessage"].by_name["text"].length
    assert text is not None and (text.min, text.max, text.after_entities) == (1, 4096, True)
    caption = spec.methods["sendPhoto"].by_name["caption"].length
    assert caption is not None and (caption.min, caption.max) == (0, 1024)
    data = spec.types["InlineKeyboardButton"].by_name["callback_data"].length
    assert data is not None and (data.max, data.unit) == (64, "bytes")
    assert spec.methods["setMyCommands"].by_name["commands"].max_items == 100
    assert spec.types["BotCommandScopeChat"].by_name["type"].const == "chat"
    button_rule = spec.types["InlineKeyboardButton"].one_of
    assert button_rule is not None and button_rule.mode == "exactly"
