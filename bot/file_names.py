"""File names a person recognises in a chat list: words of the title, a date, no codes."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

_NOT_WORD = re.compile(r"[^\w]+")
# Words of titles that tell nothing in a file name.
_SMALL_WORDS_TEXT = (
    "a al alla allo and along at con da dal dalla dei del della di e for i il in la le lo "
    "lungo nel nella of on per su sul the to with"
)
_SMALL_WORDS = frozenset(_SMALL_WORDS_TEXT.split())


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return [p for p in _NOT_WORD.split(plain.replace("_", " ")) if p]


def slug(text: str, words: int = 2) -> str:
    """`camminata-crostolo` from "Camminata lungo il Crostolo": accents dropped, lower case,
    the first few meaningful words; letters of other alphabets are kept as written."""
    parts = _words(text)
    meaningful = [p for p in parts if p not in _SMALL_WORDS]
    return "-".join((meaningful or parts)[:words])


def surname(full_name: str) -> str:
    """The last word of a name as a slug: `bianchi` for "Marco Bianchi"."""
    names = full_name.split()
    return "-".join(_words(names[-1])) if names else ""


def calendar_file(title: str, start: datetime, zone: ZoneInfo) -> str:
    """`camminata-crostolo-2026-12-13.ics`: the title's first words and the local day."""
    day = start.astimezone(zone).date().isoformat()
    name = slug(title)
    return f"{name}-{day}.ics" if name else f"{day}.ics"
