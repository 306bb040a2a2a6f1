"""Parser for Telegram's HTML formatting (``parse_mode=HTML``).

It follows the rules of Telegram's own parser: only the documented tags are accepted
(b, strong, i, em, u, ins, s, strike, del, span class="tg-spoiler", tg-spoiler, a href, code,
pre, pre > code class="language-x", blockquote [expandable], tg-emoji emoji-id, tg-time), a
``<`` always starts a tag, every tag must be closed in order, and only ``&lt; &gt; &amp; &quot;``
and numeric character references are decoded (any other ``&`` is kept as is). Errors carry
Telegram's wording; the caller prefixes them with "can't parse entities: ".

Offsets and lengths of the returned entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
_TAGS = frozenset({*_SIMPLE_TAGS, "a", "blockquote", "tg-emoji", "tg-time"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_CHARACTER_REFERENCE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message says where, like Telegram does."""


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    offset: int
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class _Parser:
    source: str
    chunks: list[str] = field(default_factory=list)
    position: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def emit(self, text: str) -> None:
        self.chunks.append(text)
        self.position += utf16_length(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        index, size = 0, len(self.source)
        while index < size:
            char = self.source[index]
            if char == "<":
                if self.source.startswith("</", index):
                    index = self.end_tag(index)
                else:
                    index = self.start_tag(index)
            elif char == "&":
                text, index = _decode_reference(self.source, index)
                self.emit(text)
            else:
                stop = _next_special(self.source, index)
                self.emit(self.source[index:stop])
                index = stop
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.chunks), self.entities

    def start_tag(self, begin: int) -> int:
        index = begin + 1
        while index < len(self.source) and not self.source[index].isspace():
            if self.source[index] == ">":
                break
            index += 1
        if index >= len(self.source):
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.source[begin + 1 : index].lower()
        if name not in _TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        attributes, index = self.attributes(name, index, begin)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        if name == "tg-emoji" and not attributes.get("emoji-id"):
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                f"{self.byte_offset(begin)}"
            )
        if name == "tg-time" and not attributes.get("unix", "").isdigit():
            raise EntityParseError(
                f'Tag "tg-time" must have attribute "unix" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_OpenTag(name, self.position, attributes))
        return index + 1

    def attributes(self, tag: str, index: int, begin: int) -> tuple[dict[str, str], int]:
        source = self.source
        found: dict[str, str] = {}
        while True:
            while index < len(source) and source[index].isspace():
                index += 1
            if index >= len(source):
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {self.byte_offset(begin)}"
                )
            if source[index] == ">":
                return found, index
            start = index
            while index < len(source) and source[index] not in "=>" and not source[index].isspace():
                index += 1
            name = source[start:index].lower()
            while index < len(source) and source[index].isspace():
                index += 1
            if index >= len(source) or source[index] != "=":
                found[name] = ""
                continue
            index += 1
            while index < len(source) and source[index].isspace():
                index += 1
            value, index = self.attribute_value(index, begin)
            found[name] = value

    def attribute_value(self, index: int, begin: int) -> tuple[str, int]:
        source = self.source
        if index >= len(source):
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        quote = source[index]
        if quote not in "\"'":
            match = _UNQUOTED_VALUE.match(source, index)
            end = match.end() if match else index
            if end >= len(source) or (source[end] != ">" and not source[end].isspace()):
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(end)}"
                )
            return source[index:end], end
        end = source.find(quote, index + 1)
        if end < 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        return _decode_all(source[index + 1 : end]), end + 1

    def end_tag(self, begin: int) -> int:
        index = begin + 2
        while index < len(self.source) and self.source[index] != ">":
            if self.source[index].isspace():
                break
            index += 1
        name = self.source[begin + 2 : index].lower()
        while index < len(self.source) and self.source[index].isspace():
            index += 1
        if index >= len(self.source) or self.source[index] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack[-1]
        if name != opened.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(opened)
        return index + 1

    def close(self, tag: _OpenTag) -> None:
        length = self.position - tag.offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"type": _SIMPLE_TAGS.get(tag.name, ""), "offset": tag.offset}
        entity["length"] = length
        if tag.name == "a":
            url = tag.attributes.get("href") or self.text_since(tag.offset)
            entity.update(type="text_link", url=url)
        elif tag.name == "blockquote":
            expandable = "expandable" in tag.attributes
            entity["type"] = "expandable_blockquote" if expandable else "blockquote"
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.attributes["emoji-id"])
        elif tag.name == "tg-time":
            entity.update(type="date_time", unix_time=int(tag.attributes["unix"]))
            if tag.attributes.get("format"):
                entity["date_time_format"] = tag.attributes["format"]
        elif tag.name == "code":
            language = tag.attributes.get("class", "")
            if language.startswith("language-"):
                entity["language"] = language.removeprefix("language-")
        elif tag.name == "pre":
            self.absorb_code(entity)
        self.entities.append(entity)

    def absorb_code(self, pre: dict[str, Any]) -> None:
        """``<pre><code class="language-x">`` is one pre entity with a language, as in Telegram."""
        for entity in self.entities:
            same_span = entity["offset"] == pre["offset"] and entity["length"] == pre["length"]
            if entity["type"] == "code" and same_span:
                if "language" in entity:
                    pre["language"] = entity["language"]
                self.entities.remove(entity)
                return

    def text_since(self, offset: int) -> str:
        encoded = "".join(self.chunks).encode("utf-16-le")
        return encoded[offset * 2 :].decode("utf-16-le")


def _next_special(source: str, index: int) -> int:
    stops = [found for found in (source.find("<", index), source.find("&", index)) if found >= 0]
    return min(stops) if stops else len(source)


def _decode_reference(source: str, index: int) -> tuple[str, int]:
    match = _CHARACTER_REFERENCE.match(source, index)
    if match is None:
        return "&", index + 1
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_ENTITIES:
            return "&", index + 1
        return _NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "&", index + 1
    return chr(code), match.end()


def _decode_all(value: str) -> str:
    decoded, index = [], 0
    while index < len(value):
        if value[index] == "&":
            text, index = _decode_reference(value, index)
            decoded.append(text)
        else:
            decoded.append(value[index])
            index += 1
    return "".join(decoded)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and Bot API entities of a Telegram HTML text; raises EntityParseError."""
    return _Parser(source).run()
