"""Checking a text written in Telegram's HTML before it is queued for thousands of people.

Telegram refuses the whole message when its HTML is wrong, so an announcement is checked
once, when it is composed: only Telegram's tags, properly nested, and a `<` always opens a
tag. Returns the length of the visible text in UTF-16 code units, the unit of its limits.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

_PLAIN_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "code", "pre"}
)
_TAGS = _PLAIN_TAGS | {"a", "span", "blockquote", "tg-emoji", "tg-time"}
_TAG = re.compile(r"<(/?)([^\s<>/]*)((?:\s+[^<>]*?)?)\s*>")
_ATTRIBUTE = re.compile(r"""\s*([^\s=<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9.\-]+)))?""")
_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; the message says what is wrong, in one line."""


def visible_length(html: str) -> int:
    """Checks `html` as Telegram would and returns the length of the text it shows."""
    open_tags: list[str] = []
    visible: list[str] = []
    position = 0
    for match in _TAG.finditer(html):
        _text_between(html[position : match.start()], visible)
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            _close(open_tags, name)
        else:
            _open(name, _attributes(name, attributes))
            open_tags.append(name)
        position = match.end()
    _text_between(html[position:], visible)
    if open_tags:
        raise HtmlError(f"<{open_tags[-1]}> is never closed")
    text = "".join(visible)
    return len(text.encode("utf-16-le")) // 2


def check(html: str, *, limit: int = MESSAGE_LIMIT) -> None:
    """Raises HtmlError unless `html` is valid, not empty and within `limit` characters."""
    length = visible_length(html)
    if not html.strip() or length == 0:
        raise HtmlError("the text is empty")
    if length > limit:
        raise HtmlError(f"the text is {length} characters long, more than Telegram's {limit}")


def _text_between(chunk: str, visible: list[str]) -> None:
    if "<" in chunk:
        raise HtmlError(f"'<' starts no valid tag near {chunk[chunk.index('<') :][:20]!r}")
    visible.append(_REFERENCE.sub(_decoded, chunk))


def _decoded(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name:
        return {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name]
    return chr(int(decimal) if decimal else int(hexadecimal, 16) % 0x110000)


def _attributes(tag: str, text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    rest = text
    while rest.strip():
        match = _ATTRIBUTE.match(rest)
        if match is None or not match.group(0):
            raise HtmlError(f"cannot read the attributes of <{tag}>")
        name = match.group(1).lower()
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found[name] = value
        rest = rest[match.end() :]
    return found


def _open(name: str, attributes: dict[str, str]) -> None:
    if name not in _TAGS:
        raise HtmlError(f"<{name}> is not a tag Telegram accepts")
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlError('<span> needs class="tg-spoiler"')
    if name == "tg-emoji" and not attributes.get("emoji-id"):
        raise HtmlError("<tg-emoji> needs an emoji-id")
    if name == "tg-time" and not attributes.get("unix", "").isdigit():
        raise HtmlError("<tg-time> needs a unix time")


def _close(open_tags: list[str], name: str) -> None:
    if not open_tags:
        raise HtmlError(f"</{name}> closes no open tag")
    if open_tags[-1] != name:
        raise HtmlError(f"</{name}> found where </{open_tags[-1]}> was expected")
    open_tags.pop()
