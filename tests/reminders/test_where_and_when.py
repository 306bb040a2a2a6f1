"""Every shift and event notice says where (place, hub, address, with a map button) and when
in words ("tomorrow at 9:00", "today at 18:00, in 2 hours"), in English and Italian.

Each notice is queued by the real service (a sign-up, a cancellation, a catalog import) and
rendered from its stored parameters as the sender does, at the moment it would be sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import use_locale
from bot.notices import RENDERERS
from bot.services.catalog.importing import import_catalog_text
from bot.services.events import upcoming as events
from bot.services.volunteering import register, shifts
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.models import Delivery, Event, Shift
from tests.reminders.reminded import local, shifts_yaml
from tests.support.fixtures import ROME, TEST_NOW

Sessions = async_sessionmaker[AsyncSession]
POLICY = ReminderPolicy(zone=ROME)
ZONE = "Europe/Rome"
MAP = "https://www.openstreetmap.org/?mlat=44.69250&mlon=10.65000#map=18/44.69250/10.65000"
WHERE = {
    "en": "Where: Main hall, Casa di quartiere Test, Via Example 9, Reggio Emilia",
    "it": "Dove: Sala grande, Casa di quartiere Test, Via Example 9, Reggio Emilia",
}
MAP_LABEL = {"en": "🗺 Map", "it": "🗺 Mappa"}
# The Sunday shift (one place) in the hub's main hall.
CATALOG = shifts_yaml().replace(
    "capacity: 1}", "capacity: 1, place: {it: Sala grande, en: Main hall}}"
)
EVENTS = """
greenways:
  - code: crostolo
    name: {it: Greenway del Crostolo, en: Crostolo greenway}
    description: {it: Lungo il torrente., en: Along the stream.}
events:
  - code: camminata
    greenway: crostolo
    title: {it: Camminata lungo il Crostolo, en: Walk along the Crostolo}
    description: {it: Sei km., en: Six km.}
    start: 2026-12-06T10:00
    end: 2026-12-06T12:00
    place: {it: Ponte di San Pellegrino, en: San Pellegrino bridge}
    lat: 44.6838
    lon: 10.6300
"""


def rendered(delivery: Delivery, locale: str, now: datetime) -> tuple[str, list[dict[str, str]]]:
    """The notice's text and buttons as the sender would send them at `now`."""
    with use_locale(locale, "it", now=now):
        shown = RENDERERS[delivery.message_key](delivery.params)
    rows = (shown.reply_markup or {}).get("inline_keyboard", [])
    return shown.text, [button for row in rows for button in row]


def map_button(buttons: list[dict[str, str]]) -> dict[str, str]:
    [found] = [button for button in buttons if "url" in button]
    return found


async def load(sessions: Sessions, text: str = CATALOG, name: str = "projects.yaml") -> None:
    await import_catalog_text(sessions, text, name, timezone=ROME, now=TEST_NOW, policy=POLICY)


async def shift_id(sessions: Sessions, code: str) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Shift.id).where(Shift.code == code))
    assert found is not None
    return int(found)


async def enrol(sessions: Sessions, *people: int) -> None:
    form = register.Form("Anna Rossi", date(1990, 5, 17), "+39 333 1234567", True, True)
    for person in people:
        async with sessions() as session:
            await register.join_register(session, person, form, now=TEST_NOW, today=TEST_NOW.date())


async def delivery(sessions: Sessions, key: str, recipient: int) -> Delivery:
    async with sessions() as session:
        rows = await session.scalars(
            select(Delivery).where(Delivery.message_key == key, Delivery.recipient_id == recipient)
        )
        [found] = list(rows)
    return found


@pytest.mark.parametrize(
    ("locale", "near"),
    [("en", "tomorrow at 9:00"), ("it", "domani alle 9:00")],
)
async def test_the_promotion_and_the_hours_nudge_say_where_and_when(
    session_factory: Sessions, locale: str, near: str
) -> None:
    await load(session_factory)
    sunday = await shift_id(session_factory, "orti-sun")
    await enrol(session_factory, 301, 302)
    for person in (301, 302):
        async with session_factory() as session:
            await shifts.sign_up(session, person, sunday, TEST_NOW, policy=POLICY)
    async with session_factory() as session:
        await shifts.cancel_place(session, 301, sunday, TEST_NOW, zone=ZONE, policy=POLICY)

    promoted = await delivery(session_factory, "shift.promoted", 302)
    text, buttons = rendered(promoted, locale, local(2026, 12, 5, 10, 0))
    assert f", {near}, " in text and WHERE[locale] in text
    assert map_button(buttons) == {"text": MAP_LABEL[locale], "url": MAP}

    nudge = await delivery(session_factory, "hours.nudge", 302)
    text, buttons = rendered(nudge, locale, local(2026, 12, 6, 13, 0))
    today = {"en": "today at 9:00", "it": "oggi alle 9:00"}[locale]
    assert f"<b>{'Shared gardens' if locale == 'en' else 'Orti condivisi'}</b>, {today}." in text
    assert WHERE[locale] in text and map_button(buttons)["url"] == MAP


@pytest.mark.parametrize(
    ("locale", "moved", "cancelled"),
    [
        ("en", "it is now today at 18:00, in 2 hours.", ", tomorrow at 9:00, has been cancelled"),
        ("it", "ora è oggi alle 18:00, tra 2 ore.", ", domani alle 9:00, è stato annullato"),
    ],
)
async def test_a_moved_or_cancelled_shift_says_where_and_when(
    session_factory: Sessions, locale: str, moved: str, cancelled: str
) -> None:
    await load(session_factory)
    await enrol(session_factory, 311, 312)
    async with session_factory() as session:
        await shifts.sign_up(session, 311, await shift_id(session_factory, "orti-sun"), TEST_NOW)
        await shifts.sign_up(session, 312, await shift_id(session_factory, "orti-sat"), TEST_NOW)
    update = CATALOG.replace(
        "start: 2026-12-06T09:00, end: 2026-12-06T12:00",
        "start: 2026-12-03T18:00, end: 2026-12-03T20:00",
    ).replace("capacity: 10, place:", "capacity: 10, cancelled: true, place:")
    await load(session_factory, update, "update.yaml")

    changed = await delivery(session_factory, "shift.changed", 311)
    text, buttons = rendered(changed, locale, local(2026, 12, 3, 16, 0))
    assert moved in text and WHERE[locale] in text
    assert map_button(buttons) == {"text": MAP_LABEL[locale], "url": MAP}

    gone = await delivery(session_factory, "shift.cancelled", 312)
    text, buttons = rendered(gone, locale, local(2026, 12, 4, 20, 0))
    entrance = {"en": "North entrance", "it": "Ingresso nord"}[locale]
    assert (
        cancelled in text
        and WHERE[locale].replace({"en": "Main hall", "it": "Sala grande"}[locale], entrance)
        in text
    )
    assert map_button(buttons)["url"] == MAP


@pytest.mark.parametrize(
    ("locale", "when", "starts", "place"),
    [
        (
            "en",
            "🗓 tomorrow at 10:00, until 12:00",
            "It starts today at 10:00, in 2 hours.",
            "📍 San Pellegrino bridge",
        ),
        (
            "it",
            "🗓 domani alle 10:00, fino alle 12:00",
            "Inizia oggi alle 10:00, tra 2 ore.",
            "📍 Ponte di San Pellegrino",
        ),
    ],
)
async def test_event_reminders_and_changes_say_where_and_when(
    session_factory: Sessions, locale: str, when: str, starts: str, place: str
) -> None:
    await load(session_factory, EVENTS, "events.yaml")
    async with session_factory() as session:
        event = await session.scalar(select(Event.id).where(Event.code == "camminata"))
        assert event is not None
        await events.will_come(session, 321, event, TEST_NOW, POLICY)
    await load(session_factory, EVENTS.replace("2026-12-06T1", "2026-12-03T1"), "events.yaml")
    pin = "https://www.openstreetmap.org/?mlat=44.68380&mlon=10.63000#map=18/44.68380/10.63000"

    changed = await delivery(session_factory, "event.changed", 321)
    text, buttons = rendered(changed, locale, TEST_NOW)
    assert when in text and place in text and map_button(buttons)["url"] == pin

    async with session_factory() as session:
        rows = await session.scalars(
            select(Delivery).where(Delivery.message_key == "event.reminder")
        )
        reminder = next(row for row in rows if row.status == "pending")
    assert reminder.due_at.astimezone(ROME) == local(2026, 12, 3, 8, 0)  # 2 hours before
    text, buttons = rendered(reminder, locale, local(2026, 12, 3, 8, 0))
    assert starts in text and place in text and map_button(buttons)["url"] == pin

    await load(
        session_factory,
        EVENTS.replace("lon: 10.6300", "lon: 10.6300\n    cancelled: true").replace(
            "2026-12-06T1", "2026-12-03T1"
        ),
        "events.yaml",
    )
    gone = await delivery(session_factory, "event.cancelled", 321)
    text, buttons = rendered(gone, locale, TEST_NOW)
    assert when in text and place in text and map_button(buttons)["url"] == pin


def test_old_notices_without_a_hub_still_say_when() -> None:
    """Rows queued before notices carried the hub render without a "Where" or a map."""
    params: dict[str, Any] = {
        "shift_id": 1,
        "title": {"en": "Shared gardens"},
        "start": local(2026, 12, 6, 9, 0).isoformat(),
        "end": local(2026, 12, 6, 12, 0).isoformat(),
        "place": None,
        "zone": ZONE,
    }
    with use_locale("en", "it", now=local(2026, 12, 5, 10, 0)):
        shown = RENDERERS["shift.cancelled"](params)
    assert shown.text.startswith("The shift of <b>Shared gardens</b>, tomorrow at 9:00, has")
    assert shown.reply_markup is None


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "🔁 Anna Rossi takes a freed place on <b>Shared gardens</b>, tomorrow at 9:00, "),
        (
            "it",
            "🔁 Anna Rossi passa dalla lista d'attesa a un posto liberato in "
            "<b>Orti condivisi</b>, domani alle 9:00.",
        ),
    ],
)
def test_tutors_told_of_a_late_change_read_the_day_in_words(locale: str, expected: str) -> None:
    params: dict[str, Any] = {
        "event": "promoted",
        "volunteer": "Anna Rossi",
        "verified": True,
        "shift_id": 1,
        "title": {"en": "Shared gardens", "it": "Orti condivisi"},
        "start": local(2026, 12, 6, 9, 0).isoformat(),
        "zone": ZONE,
    }
    with use_locale(locale, "it", now=local(2026, 12, 5, 10, 0)):
        shown = RENDERERS["shift.staff_change"](params)
    assert shown.text.startswith(expected)
