"""From the text a bot sends to the text a user sees: parse_mode, entities and trimming.

Telegram parses the markup, then strips leading and trailing whitespace; length limits
("1-4096 characters after entities parsing") apply to that result. The project formats with
HTML only, so MarkdownV2 and Markdown are refused with an explicit message rather than being
half-emulated.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.errors import InvalidRequest, bad_request
from emulator.html import EntityParseError, parse_html, utf16_length

PARSE_MODES = {"html": "HTML", "markdownv2": "MarkdownV2", "markdown": "Markdown"}
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


def check_parse_mode(parse_mode: str | None) -> str | None:
    """The canonical parse mode, None for plain text; 400 for an unknown mode."""
    if not parse_mode:
        return None
    canonical = PARSE_MODES.get(parse_mode.lower())
    if canonical is None:
        raise bad_request("unsupported parse_mode")
    return canonical


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of a message as Telegram stores it; 400 on malformed markup."""
    mode = check_parse_mode(parse_mode)
    if entities is not None:
        plain, found = text, [dict(entity) for entity in entities]
    elif mode == "HTML":
        try:
            plain, found = parse_html(text)
        except EntityParseError as error:
            raise can_not_parse(str(error)) from error
    elif mode is not None:
        raise can_not_parse(f"parse_mode {mode} is not supported by the emulator; use HTML")
    else:
        plain, found = text, []
    return _trim(plain, found)


def can_not_parse(reason: str) -> InvalidRequest:
    return bad_request(f"can't parse entities: {reason}")


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_length(text[: len(text) - len(text.lstrip())])
    size = utf16_length(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entities Telegram attaches to a user's message."""
    entities = []
    for match in _COMMAND.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_length(text[: match.start()]),
                "length": utf16_length(match.group()),
            }
        )
    return entities
