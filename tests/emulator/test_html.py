"""Telegram HTML: what parses into text and entities, and what Telegram refuses."""

from __future__ import annotations

import pytest

from emulator.errors import InvalidRequest
from emulator.formatting import format_text
from emulator.html import EntityParseError, parse_html


def test_nested_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_html("🙂 <b>Ciao <i>Ada</i></b> &amp; <u>co</u>")

    assert text == "🙂 Ciao Ada & co"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "italic", "offset": 8, "length": 3},
        {"type": "underline", "offset": 14, "length": 2},
    ]


@pytest.mark.parametrize(
    ("tag", "entity"),
    [
        ("strong", "bold"),
        ("em", "italic"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("blockquote", "blockquote"),
    ],
)
def test_each_documented_tag_has_its_entity(tag: str, entity: str) -> None:
    assert parse_html(f"<{tag}>x</{tag}>") == ("x", [{"type": entity, "offset": 0, "length": 1}])


def test_links_spoiler_span_custom_emoji_and_expandable_quote() -> None:
    source = (
        '<a href="https://example.org/?a=1&amp;b=2">site</a> '
        '<span class="tg-spoiler">s</span> '
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> '
        "<blockquote expandable>q</blockquote>"
    )
    text, entities = parse_html(source)

    assert text == "site s 👍 q"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.org/?a=1&b=2"},
        {"type": "spoiler", "offset": 5, "length": 1},
        {
            "type": "custom_emoji",
            "offset": 7,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
        {"type": "expandable_blockquote", "offset": 10, "length": 1},
    ]


def test_pre_with_code_language_is_one_pre_entity() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert text == "x = 1"
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


def test_character_references_and_stray_ampersands() -> None:
    text, _ = parse_html("&lt;b&gt; &quot;q&quot; &#233; &#x1F600; AT&T &nbsp;")
    assert text == '<b> "q" é 😀 AT&T &nbsp;'


def test_tags_are_case_insensitive_and_attributes_may_be_unquoted() -> None:
    text, entities = parse_html("<B>x</B> <a href=example.org>y</a>")
    assert text == "x y"
    assert entities[1] == {"type": "text_link", "offset": 2, "length": 1, "url": "example.org"}


def test_empty_entities_are_dropped() -> None:
    assert parse_html("a<b></b>b") == ("ab", [])


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have attribute "emoji-id"'),
        ("<a href=https://x.org>y</a>", "Unexpected end of name token"),
        ("è<b>x</i>", "Unmatched end tag at byte offset 6"),
    ],
)
def test_invalid_html_is_refused_like_telegram(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert error in str(caught.value)


def test_format_text_trims_whitespace_and_shifts_entities() -> None:
    text, entities = format_text("\n  <b>Hi</b> there  \n", "HTML")
    assert text == "Hi there"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_explicit_entities_are_used_instead_of_markup() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    assert format_text("<b>", "HTML", entities) == ("<b>", entities)


def test_plain_text_keeps_angle_brackets() -> None:
    assert format_text("1 < 2", None) == ("1 < 2", [])


def test_html_errors_are_bad_requests() -> None:
    with pytest.raises(InvalidRequest) as caught:
        format_text("<b>", "html")
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
