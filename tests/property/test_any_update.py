"""Whatever users send, the bot copes: generated updates through the production dispatcher.

Each example is a short burst of actions by a few users (citizens, tutors, an admin and
people the bot has never seen), handled as the polling loop handles them, over one
database that carries the conversations from example to example. After every burst:
no handler raised, every button press was answered, and every call the bot made is one
Telegram would accept.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from handlers.basics.menu import COMMANDS
from tests.support.fixtures import ADMIN_ID
from tests.support.harness import BotHarness

# Citizens, two tutors of the test projects and the admin: the staff paths get explored too.
# Enough of them that the flood throttle (per user) lets most of their updates through.
KNOWN_USERS = (*range(501, 513), 7001, 7003, ADMIN_ID)
GROUP = -100777
COMMAND_NAMES = sorted({c.name for c in COMMANDS} | {"start", "mydata", "forget", "nope"})
# About 2,500 updates per database: enough to walk deep into the conversations, quick in CI.
# PROPERTY_EXAMPLES=5000 PROPERTY_RANDOM=1 explores further, with new examples each run.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "700"))
EXPLORE = bool(os.environ.get("PROPERTY_RANDOM"))

texts = st.text(min_size=1, max_size=4096)
short_texts = st.text(min_size=1, max_size=40)
# Text shaped like the answers the conversations expect, so the walk gets past their steps.
answers = st.sampled_from(
    ["Maria Rossi", "24/05/1980", "01/01/2011", "333 1234567", "+39 333 1234567", "2h30",
     "1:30", "90m", "2,5", "oggi", "yesterday", "05/12", "2026-12-01", "orti", "spid-help",
     "Sì", "Yes", "0", "-1", "9" * 40]
)  # fmt: skip
commands = st.builds(
    lambda name, arguments: f"/{name} {arguments}".rstrip(),
    st.sampled_from(COMMAND_NAMES),
    st.one_of(st.just(""), answers, short_texts, st.text(max_size=300)),
)
callback_data = st.one_of(
    st.text(min_size=1, max_size=64).filter(lambda data: len(data.encode()) <= 64),
    st.builds(
        lambda prefix, rest: f"{prefix}:{rest}"[:64],
        st.sampled_from(["hub", "vol", "proj", "shift", "join", "roster", "hours", "lang",
                         "evt", "rsvp", "appr", "set", "page", "x"]),
        st.text(alphabet="0123456789:-abcxyz", max_size=40),
    ),
)  # fmt: skip
latitudes = st.one_of(st.sampled_from([90.0, -90.0, 0.0, 44.6975]), st.floats(-90, 90))
longitudes = st.one_of(st.sampled_from([180.0, -180.0, 0.0, 10.609]), st.floats(-180, 180))
languages = st.sampled_from(["it", "en", "de", ""])


@dataclass(frozen=True)
class Action:
    kind: str
    user: int
    payload: Any = None
    language: str = "it"


def actions_for(user: st.SearchStrategy[int]) -> st.SearchStrategy[Action]:
    def action(kind: str, payload: st.SearchStrategy[Any]) -> st.SearchStrategy[Action]:
        return st.builds(Action, st.just(kind), user, payload, languages)

    return st.one_of(
        action("text", st.one_of(texts, answers, commands)),
        action("location", st.tuples(latitudes, longitudes)),
        action("sticker", st.sampled_from(["👍", "🤖", "🇮🇹"])),
        action("photo", st.one_of(st.none(), st.text(min_size=1, max_size=1024))),
        action("edit", st.one_of(texts, commands)),
        action("press", st.integers(0, 30)),
        action("callback", callback_data),
        action("group", commands),
    )


known = st.sampled_from(KNOWN_USERS)
strangers = st.integers(10**6, 10**9)
bursts = st.lists(
    st.one_of(actions_for(known), actions_for(known), actions_for(strangers)),
    min_size=1,
    max_size=6,
)


def perform(harness: BotHarness, action: Action) -> None:
    emulator = harness.emulator
    user, options = action.user, {"language_code": action.language}
    match action.kind:
        case "text":
            emulator.user_sends_text(user, action.payload, **options)
        case "location":
            emulator.user_sends_location(user, *action.payload, **options)
        case "sticker":
            emulator.user_sends_sticker(user, action.payload, **options)
        case "photo":
            emulator.user_sends_photo(user, caption=action.payload, **options)
        case "edit":
            own = _own_texts(harness, user)
            if not own:
                emulator.user_sends_text(user, action.payload, **options)
            else:
                emulator.user_edits_text(user, own[-1], action.payload)
        case "press":
            _press_some_button(harness, user, action.payload, options)
        case "callback":
            target = (
                _last_message_id(harness, user)
                or emulator.user_sends_text(user, "?", **options)["message_id"]
            )
            emulator.user_sends_callback(user, action.payload, message_id=target)
        case "group":
            emulator.user_sends_text(
                user, action.payload, chat_id=GROUP, chat_type="group", **options
            )


def _own_texts(harness: BotHarness, user: int) -> list[int]:
    chat = harness.emulator.chats.get(user)
    if chat is None:
        return []
    return [
        message_id
        for message_id, stored in chat.messages.items()
        if not stored.from_bot and not stored.deleted and "text" in stored.message
    ]


def _last_message_id(harness: BotHarness, user: int) -> int | None:
    chat = harness.emulator.chats.get(user)
    live = [mid for mid, stored in (chat.messages.items() if chat else ()) if not stored.deleted]
    return live[-1] if live else None


def _press_some_button(harness: BotHarness, user: int, pick: int, options: dict[str, str]) -> None:
    """Presses one of the callback buttons on the user's recent bot messages, if any."""
    emulator = harness.emulator
    pressable = [
        (message["message_id"], button["callback_data"])
        for message in emulator.bot_messages(user)[-3:]
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]
    if not pressable:
        emulator.user_sends_text(user, "/volunteer", **options)
        return
    message_id, data = pressable[pick % len(pressable)]
    emulator.user_presses(user, message_id, data)


@pytest.fixture
async def world(harness: BotHarness, load_catalog) -> BotHarness:
    await load_catalog("hubs.yaml")
    await load_catalog("projects.yaml")
    return harness


@pytest.mark.timeout(600)
@settings(
    max_examples=EXAMPLES,
    derandomize=not EXPLORE,  # the same updates on every run, so CI is repeatable
    database=None,
    deadline=None,
    # The database carries over from one example to the next, so a shrunk example would not
    # replay the same state: the failing burst is reported as generated.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(burst=bursts)
async def test_any_update_is_answered_validly_and_never_crashes_a_handler(
    world: BotHarness, burst: list[Action], caplog: pytest.LogCaptureFixture
) -> None:
    harness = world
    caplog.set_level(logging.ERROR)
    caplog.clear()
    metrics = harness.dispatcher["metrics"]
    metrics.errors.clear()  # each example is judged on its own updates
    handled_before = metrics.updates.total()
    for action in burst:
        perform(harness, action)
    await harness.process()

    assert metrics.updates.total() - handled_before >= len(burst)  # each action is an update

    assert dict(metrics.errors) == {}, [r.getMessage() for r in caplog.records]
    not_handled = [r for r in caplog.records if "not handled" in r.getMessage()]
    assert not_handled == []
    assert harness.emulator.invalid_calls == [], harness.emulator.invalid_calls[-1]
    assert harness.emulator.unanswered_callback_queries() == []
