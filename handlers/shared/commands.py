"""Command names: the contract's English ones work for everyone, Italian ones too.

The menu shows each user the names of their language; a router registers a command with
`names("events")`, so that both `/events` and `/eventi` reach the same handler.
"""

from __future__ import annotations

# cache: a constant lookup table, only read
ITALIAN = {
    "help": "aiuto",
    "hubs": "case",
    "events": "eventi",
    "volunteer": "volontariato",
    "shifts": "turni",
    "hours": "ore",
    "myhours": "mieore",
    "settings": "impostazioni",
    "language": "lingua",
    "mydata": "mieidati",
    "forget": "dimenticami",
    "cancel": "annulla",
    "approve": "approva",
    "report": "resoconto",
    "stats": "statistiche",
    "broadcast": "annuncio",
}
# cache: a constant lookup table, only read
LOCAL_NAMES = {"it": ITALIAN}


def names(command: str) -> tuple[str, ...]:
    """Every name of a command: the English one first."""
    italian = ITALIAN.get(command)
    return (command, italian) if italian else (command,)


def local_name(command: str, locale: str) -> str:
    """The name shown in the menu of a user of `locale`."""
    return LOCAL_NAMES.get(locale, {}).get(command, command)
