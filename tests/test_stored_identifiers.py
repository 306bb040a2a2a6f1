"""Identifiers already sent to Telegram or stored in the database keep their exact values.

Buttons in chats carry callback data, conversations in the database carry FSM state
names, and rows in the outbox carry notice kinds, message keys and dedup keys: an upgrade
that changed any of them would break buttons already sent and rows already queued. The
values below are literals on purpose; a change here is a migration, not a refactoring.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from datetime import datetime, timedelta
from pathlib import Path

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot import notices
from bot.clock import FixedClock
from bot.notices import RENDERERS
from bot.notices import events as event_notices
from bot.notices import hours as hours_notices
from bot.notices import shifts as shift_notices
from bot.services.announcements import compose as announcements
from bot.telegram.fsm_storage import DatabaseStorage
from handlers.shared.callbacks import BroadcastStep
from storage.models import ConversationState, Delivery, User
from tests.support.fixtures import ADMIN_ID, ROME, TEST_NOW

ROOT = Path(__file__).resolve().parent.parent

# Callback data prefix -> its fields, in order (the order is the packed string's).
CALLBACK_DATA: dict[str, tuple[str, ...]] = {
    "lang": ("code",),
    "set": ("action",),
    "hqp": ("page",),
    "hq": ("quartiere_id",),
    "hqa": ("quartiere_id",),
    "hqb": ("page", "first"),
    "hub": ("action", "hub_id"),
    "hbo": ("hub_id", "back", "key", "page", "lat_e4", "lon_e4"),
    "hnb": ("lat_e4", "lon_e4"),
    "hss": ("page", "lat_e4", "lon_e4"),
    "hsv": ("service_id", "page", "lat_e4", "lon_e4"),
    "hqs": ("page",),
    "hqr": ("key", "page"),
    "prj": ("page", "theme", "quartiere"),
    "prf": ("kind",),
    "pro": ("project_id",),
    "prc": ("project_id", "page", "theme", "quartiere"),
    "sj": ("shift_id",),
    "pc": ("shift_id",),
    "pl": ("answer", "shift_id", "origin"),
    "pic": ("shift_id",),
    "reg": ("answer",),
    "ro": ("shift_id",),
    "ra": ("action", "shift_id", "user_id"),
    "rid": ("answer", "shift_id", "user_id"),
    "srp": ("shift_id", "tutor_id"),
    "rm": ("shift_id",),
    "rma": ("answer", "shift_id"),
    "rmo": ("seconds",),
    "hfs": ("shift_id",),
    "crt": (),
    "hpj": ("project_id",),
    "hdy": ("choice",),
    "hst": ("action",),
    "hdc": ("action", "report_id", "check", "page"),
    "hdl": ("action", "report_id", "check", "page", "number"),
    "hun": ("report_id", "page", "number"),
    "has": ("shift_id",),  # answered, never acted on: the list it approved was not named
    "hal": ("shift_id", "seen"),
    "hap": ("page",),
    "hmr": ("action", "report_id"),
    "evl": ("page", "greenway_id"),
    "evg": (),
    "evo": ("event_id", "page", "greenway_id"),
    "eva": ("action", "event_id", "page", "greenway_id"),
    "evf": ("target", "greenway_id", "on"),
    "crp": ("period",),
    "fig": ("scope", "period"),
    "bc": ("action", "value"),
    "bcg": ("kind", "page"),
    "bcp": ("kind", "item_id"),
    "bcx": ("announcement_id",),
    "fgt": ("answer",),
    "door": ("command",),
    "dft": ("action", "command"),
}

# Buttons built with every default, as they sit in chats today.
PACKED_DEFAULTS = {
    "hss": "hss:0::",
    "hqs": "hqs:0",
    "prj": "prj:0:-1:-1",
    "crt": "crt",
    "evg": "evg",
}

# Every FSM state, as stored in the conversations table.
STATES = {
    "Composing:text",
    "Composing:version",
    "Composing:time",
    "RejectFlow:reason",
    "HoursFlow:project",
    "HoursFlow:day",
    "HoursFlow:duration",
    "HoursFlow:note",
    "HoursFlow:confirm",
    "EditFlow:figures",
    "PhoneCorrection:phone",
    "RegisterFlow:name",
    "RegisterFlow:birth_date",
    "RegisterFlow:phone",
    "RegisterFlow:resident",
    "RegisterFlow:consent",
    "TutorMessage:text",
    "ReplyToTutor:text",
}

# Outbox message key -> the kind stored beside it.
NOTICES = {
    "announcement": "announcement",
    "event.new": "event-new",
    "event.changed": "event-change",
    "event.cancelled": "event-change",
    "event.reminder": "reminder",
    "event.digest": "digest",
    "hours.submitted": "hours",
    "hours.approved": "hours",
    "hours.rejected": "hours",
    "hours.undone": "hours",
    "hours.notice_closed": "hours",
    "hours.nudge": "hours-nudge",
    "shift.reminder": "reminder",
    "shift.promoted": "promotion",
    "shift.changed": "shift-change",
    "shift.cancelled": "shift-change",
    "shift.tutor_message": "tutor-message",
    "shift.staff_change": "staff-change",
    "shift.volunteer_reply": "volunteer-reply",
    "staff.appointed": "staff",
    "reply.deferred": "reply",
    "reply.file_later": "reply",
}

# Every `word:`-shaped f-string the services, notices, outbox and repositories build, with
# each placeholder as {}: dedup keys, the prefixes that withdraw their families, and the
# audit entries' targets.
STORED_FORMATS = {
    # dedup keys and families
    "announcement:{}:",
    "reply:{}",
    "digest:{}:user:{}",
    "event-new:{}:user:{}",
    "event-changed:{}:user:{}:{}",
    "event-cancelled:{}:user:{}:{}",
    "hours-submitted:{}:",
    "hours-submitted:{}:{}",
    "hours-corrected:{}:",
    "hours-corrected:{}:{}:{}",
    "hours-decided:{}",
    "hours-decided:{}:",
    "hours-decided:{}:{}",
    "hours-undone:{}:{}",
    "hours-notice-edit:{}:{}:{}",
    "staff-change:{}:{}:{}:{}:{}",
    "volunteer-reply:{}:{}:{}",
    "hours-nudge:shift:{}:user:{}",
    "promoted:{}:{}:{}",
    "reminder:event:{}:user:{}:",
    "reminder:shift:{}:user:{}:",
    "shift-changed:{}:{}:{}:{}",
    "shift-cancelled:{}:{}:{}:{}",
    "staff-appointed:{}:{}:{}",
    "tutor-message:{}:{}:{}",
    # audit targets
    "announcement:{}",
    "event:{}",
    "hub:{}",
    "page:{}",
    "period:{}..{}",
    "project:{}",
    "project:{} user:{}",
    "shift:{}",
    "shift:{} user:{}",
    "user:{}",
    # printed on certificates: the QR code's link must open the check for as long as they last
    "https://t.me/{}?start={}{}",
}
FORMAT_SOURCES = ("bot/services", "bot/notices", "bot/outbox", "storage/repositories")
KEY_SHAPE = re.compile(r"^[a-z][a-z-]*(\{\})?:")


def _handler_classes(base: type) -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(handlers.__path__, "handlers."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            defined_here = inspect.isclass(value) and value.__module__ == module.__name__
            if defined_here and issubclass(value, base) and value is not base:
                found.append(value)
    return found


def test_every_callback_data_keeps_its_prefix_and_fields() -> None:
    classes = _handler_classes(CallbackData)
    found = {cls.__prefix__: tuple(cls.model_fields) for cls in classes}
    unlisted = [
        f"{cls.__module__}.{cls.__qualname__} ({cls.__prefix__})"
        for cls in classes
        if cls.__prefix__ not in CALLBACK_DATA
    ]
    assert unlisted == [], (
        "callback data not in CALLBACK_DATA: add a new one there; one already sent keeps "
        f"its prefix: {unlisted}"
    )
    assert len(found) == len(classes), "two callback data classes share a prefix"
    assert found == CALLBACK_DATA


def test_buttons_with_every_default_pack_as_they_did() -> None:
    by_prefix = {cls.__prefix__: cls for cls in _handler_classes(CallbackData)}
    packed = {prefix: by_prefix[prefix]().pack() for prefix in PACKED_DEFAULTS}
    assert packed == PACKED_DEFAULTS


def test_the_send_button_carries_the_mark_of_the_previewed_draft_within_64_bytes() -> None:
    longest = announcements.Draft(text="x" * 4096, audience="all", versions={"en": "y" * 4096})
    packed = BroadcastStep(action="send", value=announcements.fingerprint(longest)).pack()
    # A Send button sent before the mark existed packs as "bc:send:": refused as stale.
    assert re.fullmatch(r"bc:send:[A-Za-z0-9_-]{11}", packed)
    assert len(packed.encode()) <= 64


def test_every_conversation_state_keeps_its_name() -> None:
    groups = _handler_classes(StatesGroup)
    found = {state.state for group in groups for state in group.__all_states__}
    unlisted = sorted(found - STATES)
    assert unlisted == [], (
        f"states not in STATES: add new ones there; a stored one keeps its name: {unlisted}"
    )
    assert found == STATES


async def test_a_conversation_is_stored_under_the_same_key(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    storage = DatabaseStorage(session_factory, FixedClock(TEST_NOW))
    await storage.set_state(StorageKey(bot_id=42, chat_id=7, user_id=8), "HoursFlow:note")
    async with session_factory() as session:
        rows = (await session.execute(select(ConversationState.key, ConversationState.state))).all()
    assert [tuple(row) for row in rows] == [("fsm:7:8:default", "HoursFlow:note")]


def test_every_message_key_in_the_outbox_still_has_its_renderer() -> None:
    assert set(RENDERERS) == set(NOTICES)


async def test_an_announcement_is_queued_under_the_same_kind_and_keys(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        session.add(User(telegram_id=101, created_at=TEST_NOW, last_seen_at=TEST_NOW))
        await session.commit()
        progress = await announcements.announce(
            session,
            announcements.Draft(text="Festa di quartiere sabato!"),
            actor=ADMIN_ID,
            admin_ids=(ADMIN_ID,),
            now=TEST_NOW,
            default_locale="it",
        )
        rows = (
            await session.execute(select(Delivery.kind, Delivery.message_key, Delivery.dedup_key))
        ).all()
    assert [tuple(row) for row in rows] == [
        ("announcement", "announcement", f"announcement:{progress.id}:101")
    ]


def _template(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _trees(folders: tuple[str, ...]) -> list[ast.Module]:
    paths = sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))
    return [ast.parse(path.read_text(encoding="utf-8")) for path in paths]


def test_every_queued_notice_keeps_its_kind() -> None:
    assert {notice.message_key: notice.kind for notice in notices.NOTICES} == NOTICES


def test_every_stored_key_keeps_its_format() -> None:
    found = set()
    for tree in _trees(FORMAT_SOURCES):
        nested = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in ast.walk(node)
            if part is not node
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and id(node) not in nested:
                template = _template(node)
                if template is not None and KEY_SHAPE.match(template):
                    found.add(template)
    assert sorted(found - STORED_FORMATS) == [], "new stored formats: add them to STORED_FORMATS"
    assert sorted(STORED_FORMATS - found) == [], "a stored format changed or is built elsewhere"


def test_the_key_builders_keep_their_strings() -> None:
    start = datetime(2026, 12, 5, 9, 0, tzinfo=ROME)
    day = timedelta(days=1)
    assert shift_notices.REMINDER.family(5, 801) == ("reminder:shift:5:user:801:",)
    assert (
        shift_notices.REMINDER.key(5, 801, day, start)
        == "reminder:shift:5:user:801:86400:2026-12-05T08:00:00+00:00"
    )
    assert shift_notices.HOURS_NUDGE.key(5, 801) == "hours-nudge:shift:5:user:801"
    assert hours_notices.SUBMITTED.family(12) == ("hours-submitted:12:", "hours-corrected:12:")
    assert hours_notices.APPROVED.family(12) == ("hours-decided:12:",)
    assert hours_notices.REJECTED.key(12, start) == "hours-decided:12:2026-12-05T09:00:00+01:00"
    assert hours_notices.UNDONE.key(12, start) == "hours-undone:12:2026-12-05T09:00:00+01:00"
    assert (
        shift_notices.VOLUNTEER_REPLY.key(5, 801, start)
        == "volunteer-reply:5:801:2026-12-05T09:00:00+01:00"
    )
    assert (
        shift_notices.STAFF_CHANGE.key(5, 7001, "promoted", 801, start)
        == "staff-change:5:7001:promoted:801:2026-12-05T09:00:00+01:00"
    )
    assert (
        hours_notices.CLOSED.key(40, "approved", start)
        == "hours-notice-edit:40:approved:2026-12-05T09:00:00+01:00"
    )
    assert event_notices.REMINDER.family(3, 801) == ("reminder:event:3:user:801:",)
    assert (
        event_notices.REMINDER.key(3, 801, timedelta(hours=2), start)
        == "reminder:event:3:user:801:7200:2026-12-05T08:00:00+00:00"
    )
