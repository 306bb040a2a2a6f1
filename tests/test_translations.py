"""The language catalogs: complete, current with the code, and consistent placeholders."""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.i18n import SUPPORTED_LOCALES, locales_dir

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = ["_", "__", "gettext", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2"]


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _tags(text: str) -> list[str]:
    return sorted(re.findall(r"</?[a-z-]+", text))


def test_the_template_is_current_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    arguments = ["pybabel", "-q", "extract", "--no-location", "--omit-header"]
    for keyword in KEYWORDS:
        arguments += ["-k", keyword]
    arguments += ["-o", str(fresh), str(ROOT / "bot"), str(ROOT / "handlers")]
    CommandLineInterface().run(arguments)
    assert _ids(_read(fresh)) == _ids(_read(ROOT / "locales" / "messages.pot")), (
        "locales/messages.pot is stale: run `make i18n-extract` and translate"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    template = _ids(_read(ROOT / "locales" / "messages.pot"))
    catalog = _read(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po")
    assert not catalog.fuzzy, f"{locale}: the catalog header is fuzzy, so it would not compile"
    missing = template - _ids(catalog)
    assert not missing, f"{locale}: missing msgids {sorted(missing)[:5]}"
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{locale}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_translations_keep_placeholders_and_markup(locale: str) -> None:
    catalog = _read(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for translated in strings:
            assert _fields(translated) == _fields(source), f"{locale}: {source!r}"
            assert _tags(translated) == _tags(source), f"{locale}: {source!r}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_compiled_catalogs_are_installed(locale: str) -> None:
    assert (locales_dir() / locale / "LC_MESSAGES" / "messages.mo").is_file(), (
        "compiled catalogs missing: run `make i18n`"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_plural_messages_have_two_forms_and_the_compiled_catalog_uses_them(locale: str) -> None:
    """A catalog compiled with more plural forms than its messages carry shows the source
    (English) text for every count but one; Italian and English both have two forms."""
    catalog = _read(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po")
    assert catalog.num_plurals == 2, f"{locale}: set Plural-Forms: nplurals=2 in the header"
    path = locales_dir() / locale / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    plurals = [m for m in catalog if m.id and not isinstance(m.id, str)]
    assert plurals, "no plural messages to check"
    for message in plurals:
        singular, plural = message.id
        assert compiled.ngettext(singular, plural, 1) == message.string[0]
        assert compiled.ngettext(singular, plural, 2) == message.string[1], (
            f"{locale}: {plural!r} falls back to the source text for 2"
        )


# Words that assume the reader is a man; the Italian says the same without them
# ("Iscrizione completata", "Ora sei tutor di…", "Ti do il benvenuto").
MASCULINE_ONLY = re.compile(r"\b(iscritto|benvenuto|nominato|domiciliato|sei stato)\b", re.I)


def test_the_italian_speaks_to_everyone_alike() -> None:
    catalog = _read(ROOT / "locales" / "it" / "LC_MESSAGES" / "messages.po")
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        found += [(m.group(0), s) for s in strings if (m := MASCULINE_ONLY.search(s))]
    assert not found, "Italian texts that assume a man; rewrite them gender-neutral: " + "; ".join(
        f"{word!r} in {text!r}" for word, text in found
    )


def test_the_italian_names_places_with_their_article() -> None:
    """ "a Centro storico", "di Comune di Reggio Emilia" or "su Greenway del Crostolo" read
    wrong: a name from the catalogue or the settings stands where it needs no article
    ("nel quartiere {quartiere}", "titolare ({controller})", "Nuovo evento – {greenway}")."""
    catalog = _read(ROOT / "locales" / "it" / "LC_MESSAGES" / "messages.po")
    bare = re.compile(r"\b(a|in|di|da|su) \{(quartiere|controller|greenway|audience|project)\}")
    wrong = [
        m.string for m in catalog if m.id and isinstance(m.string, str) and bare.search(m.string)
    ]
    assert not wrong, f"a name that needs an article follows a preposition: {wrong}"


# Placeholders that carry a number of things. A number followed by a word ("1 inviati",
# "a 1 persone") needs ngettext; as a figure after a label ("Inviati: 1", "3 su 5") it does not.
COUNTS = "count|n|days|sent|failed|blocked|remaining|cancelled|total|taken|capacity|free"
COUNT_BEFORE_A_WORD = re.compile(r"\{(" + COUNTS + r")\}\s*(?!(?:of|su|di)\b)[^\W\d_]")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_count_before_a_word_goes_through_ngettext(locale: str) -> None:
    catalog = _read(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po")
    built_with_gettext = [
        text
        for message in catalog
        if message.id and isinstance(message.id, str)
        for text in (message.id, message.string)
        if COUNT_BEFORE_A_WORD.search(text)
    ]
    assert not built_with_gettext, (
        f"{locale}: a count agrees with the word after it, so it needs ngettext (singular and "
        f"plural msgids) or the figure after a label: {built_with_gettext}"
    )


# English is British English: the spellings of the other side of the Atlantic do not appear.
AMERICAN = re.compile(
    r"\b(catalog|catalogs|center|color|favor|behavior|neighbor\w*|canceled|canceling"
    r"|organiz\w*|recogniz\w*|authoriz\w*|analyz\w*|program|programs)\b"
)


def test_the_english_is_spelled_the_british_way() -> None:
    template = _read(ROOT / "locales" / "messages.pot")
    found = sorted(
        {
            f"{match.group(0)!r} in {text!r}"
            for message in template
            if message.id
            for text in ([message.id] if isinstance(message.id, str) else message.id)
            if (match := AMERICAN.search(text))
        }
    )
    assert not found, f"American spellings in English texts: {found}"
