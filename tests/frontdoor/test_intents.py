"""The free-text matcher: what a sentence asks for, in Italian and English."""

from __future__ import annotations

import pytest

from bot.services.frontdoor.intents import Intent, Kind, Term, Vocabulary, understand, words

PORTIERATO, PACCHI, SPID, WIFI, DIGITALE = 1, 2, 3, 4, 5
CENTRO, OSPIZIO, BUCO = 10, 11, -12

CATALOG = Vocabulary(
    services=(
        Term(PORTIERATO, ("Portierato sociale", "Social concierge")),
        Term(PACCHI, ("Ritiro pacchi", "Parcel pick-up")),
        Term(SPID, ("Aiuto SPID e servizi online", "Help with SPID and online public services")),
        Term(WIFI, ("Wi-Fi di comunità", "Community Wi-Fi")),
        Term(DIGITALE, ("Alfabetizzazione digitale", "Digital literacy")),
    ),
    quartieri=(
        Term(CENTRO, ("Centro storico",)),
        Term(OSPIZIO, ("Ospizio",)),
        Term(BUCO, ("Buco del Signore",)),
    ),
)


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("Dove posso farmi aiutare con lo SPID?", SPID),
        ("spid", SPID),
        ("Where can I get help with SPID?", SPID),
        ("devo ritirare un pacco", PACCHI),
        ("I need to collect a parcel", PACCHI),
        ("c'è il wifi?", WIFI),
        ("Wi-Fi gratis", WIFI),
        ("is there free internet?", WIFI),
        ("portierato", PORTIERATO),
        ("il portierato sociale è aperto?", PORTIERATO),
        ("social concierge", PORTIERATO),
        ("corso di computer", DIGITALE),
        ("digital literacy", DIGITALE),
    ],
)
def test_a_service_or_its_synonym_names_the_service(text: str, service: int) -> None:
    assert understand(text, CATALOG) == Intent(Kind.SERVICE, service)


@pytest.mark.parametrize(
    ("text", "quartiere"),
    [
        ("case di quartiere in Centro storico", CENTRO),
        ("ospizio", OSPIZIO),
        ("What is there in Buco del Signore?", BUCO),
    ],
)
def test_a_quartiere_name_asks_for_its_hubs(text: str, quartiere: int) -> None:
    assert understand(text, CATALOG) == Intent(Kind.QUARTIERE, quartiere)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("orari", Kind.HUBS),
        ("è aperto oggi?", Kind.HUBS),
        ("a che ora apre la casa di quartiere?", Kind.HUBS),
        ("opening hours", Kind.HUBS),
        ("is it open now?", Kind.HUBS),
        ("eventi", Kind.EVENTS),
        ("ci sono camminate domenica?", Kind.EVENTS),
        ("any events this week?", Kind.EVENTS),
        ("vorrei fare volontariato", Kind.VOLUNTEER),
        ("I want to volunteer", Kind.VOLUNTEER),
        ("i miei turni", Kind.SHIFTS),
        ("my shifts", Kind.SHIFTS),
        ("le mie ore", Kind.HOURS),
        ("my hours", Kind.HOURS),
        ("how many hours have I done?", Kind.HOURS),
        ("cambiare lingua", Kind.SETTINGS),
        ("settings", Kind.SETTINGS),
    ],
)
def test_feature_words_in_both_languages(text: str, kind: Kind) -> None:
    assert understand(text, CATALOG) == Intent(kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ciao", Kind.GREETING),
        ("Buongiorno!", Kind.GREETING),
        ("salve", Kind.GREETING),
        ("hi", Kind.GREETING),
        ("Hello there", Kind.GREETING),
        ("good morning", Kind.GREETING),
        ("grazie", Kind.THANKS),
        ("grazie mille!", Kind.THANKS),
        ("thanks", Kind.THANKS),
        ("thank you", Kind.THANKS),
        ("ciao, grazie", Kind.THANKS),
    ],
)
def test_greetings_and_thanks(text: str, kind: Kind) -> None:
    assert understand(text, CATALOG) == Intent(kind)


@pytest.mark.parametrize("text", ["👍", "🙂🙂", "???", "", "asdfgh", "il gatto dorme"])
def test_an_emoji_or_anything_else_is_not_understood(text: str) -> None:
    assert understand(text, CATALOG) == Intent(Kind.NOTHING)


def test_the_most_specific_intent_wins() -> None:
    # A greeting with a question is the question; a service beats the hubs' opening words.
    assert understand("ciao, dove trovo lo SPID?", CATALOG) == Intent(Kind.SERVICE, SPID)
    assert understand("orari per il ritiro pacchi", CATALOG) == Intent(Kind.SERVICE, PACCHI)


def test_an_empty_catalog_still_understands_the_features() -> None:
    assert understand("spid", Vocabulary()) == Intent(Kind.NOTHING)
    assert understand("eventi", Vocabulary()) == Intent(Kind.EVENTS)


def test_words_fold_case_accents_and_hyphens() -> None:
    assert words("Wi-Fi di COMUNITÀ, perché?") == ["wifi", "di", "comunita", "perche"]
