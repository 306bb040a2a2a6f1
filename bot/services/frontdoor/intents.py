"""What a free-text message is asking for: a small keyword matcher, in Italian and English.

Not a language model: words are compared after folding case and accents, a word matches a
catalog word that it equals or shares all but its last letter with ("pacco" and "pacchi"),
and a few synonyms lead to the words the catalog uses. The most specific intent wins:
a service, then a quartiere, then a feature, then a greeting or thanks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    SERVICE = "service"
    QUARTIERE = "quartiere"
    HUBS = "hubs"
    EVENTS = "events"
    VOLUNTEER = "volunteer"
    SHIFTS = "shifts"
    HOURS = "hours"
    SETTINGS = "settings"
    GREETING = "greeting"
    THANKS = "thanks"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Term:
    """A catalog entry the user may name: its key and its names in every language."""

    key: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    services: tuple[Term, ...] = ()
    quartieri: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Intent:
    kind: Kind
    key: int | None = None  # the service or quartiere named


def _set(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Words that say nothing about which service is meant.
_SERVICE_STOPWORDS = _set(
    "a al alla con da dal dei del della delle di e ed il in la le lo per gli i un una "
    "and for of the to with on in at "
    "aiuto help servizi servizio service services online pubblici public comunita community "
    "casa case quartiere sociale social"
)

# A user's word -> words a catalog service name may use.
# cache: a constant lookup table, only read
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "pacco": ("pacchi", "parcel"),
    "pacchi": ("parcel",),
    "parcel": ("pacchi",),
    "parcels": ("pacchi", "parcel"),
    "package": ("pacchi", "parcel"),
    "packages": ("pacchi", "parcel"),
    "spedizione": ("pacchi", "parcel"),
    "internet": ("wifi",),
    "wireless": ("wifi",),
    "connessione": ("wifi",),
    "portineria": ("portierato", "concierge"),
    "portinaio": ("portierato", "concierge"),
    "concierge": ("portierato",),
    "identita": ("spid",),
    "cie": ("spid",),
    "computer": ("digitale", "digital"),
    "pc": ("digitale", "digital"),
    "smartphone": ("digitale", "digital"),
    "info": ("informazioni", "information"),
}

_FEATURES: tuple[tuple[Kind, frozenset[str]], ...] = (
    (Kind.SHIFTS, _set("turni turno shift shifts")),
    (
        Kind.HOURS,
        _set("ore mieore myhours"),
    ),
    (
        Kind.HUBS,
        _set(
            "orari orario aperto aperta aperti aperte apre aprono chiuso chiusa chiude "
            "open opens opening closed close closes hub hubs casa case vicina vicino "
            "nearest near nearby"
        ),
    ),
    (
        Kind.EVENTS,
        _set(
            "eventi evento camminata camminate passeggiata passeggiate greenway greenways "
            "event events walk walks"
        ),
    ),
    (
        Kind.VOLUNTEER,
        _set(
            "volontariato volontario volontaria volontari volontarie progetti progetto "
            "volunteer volunteering volunteers projects"
        ),
    ),
    (Kind.SETTINGS, _set("impostazioni lingua settings language")),
)

_GREETINGS = _set(
    "ciao buongiorno buonasera buonpomeriggio salve hey hi hello hiya morning afternoon evening"
)
_THANKS = _set("grazie grazi thanks thank thx ty cheers")
# English "hours" means one's own, unless these words make it opening hours.
_OPENING = _set("open opens opening closed close closes hub hubs")


def words(text: str) -> list[str]:
    """Lower case, no accents, hyphens joined ("Wi-Fi" -> "wifi"), punctuation dropped."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    plain = re.sub(r"(?<=\w)[-.](?=\w)", "", plain)
    return re.findall(r"[a-z0-9]+", plain)


def _alike(word: str, other: str) -> bool:
    if word == other:
        return True
    shortest = min(len(word), len(other))
    if shortest < 5:
        return False
    shared = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= shortest - 1


def _service_words(term: Term) -> set[str]:
    found: set[str] = set()
    for name in term.names:
        found.update(word for word in words(name) if word not in _SERVICE_STOPWORDS)
    return found


def _best_service(said: list[str], services: Iterable[Term]) -> int | None:
    asked = set(said)
    for word in said:
        asked.update(_SYNONYMS.get(word, ()))
    asked -= _SERVICE_STOPWORDS
    best, best_score = None, 0
    for term in services:
        own = _service_words(term)
        score = sum(1 for word in own if any(_alike(word, mine) for mine in asked))
        if score > best_score:
            best, best_score = term.key, score
    return best


def _named_quartiere(said: list[str], quartieri: Iterable[Term]) -> int | None:
    text = f" {' '.join(said)} "
    for term in quartieri:
        for name in term.names:
            phrase = " ".join(words(name))
            if phrase and f" {phrase} " in text:
                return term.key
    return None


def understand(text: str, vocabulary: Vocabulary) -> Intent:
    """The intent of a free-text message; NOTHING when no word is recognised."""
    said = words(text)
    if not said:
        return Intent(Kind.NOTHING)
    service = _best_service(said, vocabulary.services)
    if service is not None:
        return Intent(Kind.SERVICE, service)
    quartiere = _named_quartiere(said, vocabulary.quartieri)
    if quartiere is not None:
        return Intent(Kind.QUARTIERE, quartiere)
    asked = set(said)
    if asked & {"hours", "hour"}:
        return Intent(Kind.HUBS if asked & _OPENING else Kind.HOURS)
    for kind, keywords in _FEATURES:
        if asked & keywords:
            return Intent(kind)
    if asked & _THANKS:
        return Intent(Kind.THANKS)
    if asked & _GREETINGS:
        return Intent(Kind.GREETING)
    return Intent(Kind.NOTHING)
