"""The programme office edits greenway events from the staff Mini App.

Each use case checks the role again (PermissionError), checks the form with the catalog
import's own rules (form.py), writes in one transaction the change, its audit entry and the
very notices a catalog import queues for it (changes.py), then commits. A save names the
version the form was opened on: a record saved meanwhile (by someone else or an import) is
refused whole, nothing written and nothing queued.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import gettext as _
from bot.services.catalog.model import EventEntry
from bot.services.catalog.values import CODE_MAX_LENGTH
from bot.services.catalog.writing import event_columns
from bot.services.events.changes import tell_about_catalog_changes
from bot.services.events.form import (
    LANGUAGES,
    EventForm,
    EventFormRefused,
    checked_event,
    local_time,
)
from bot.services.people import audit
from bot.services.people.roles import Actor, Role
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.models import Event, Greenway
from storage.repositories import event_editing as repo
from storage.types import Translations


class EventChangedMeanwhile(Exception):
    """The event's version is not the form's: nothing was saved."""


class EventNotFound(LookupError):
    """No such event or greenway (or a cancelled event, which stays as it is)."""


@dataclass(frozen=True)
class GreenwayEvents:
    greenway: Greenway
    events: list[Event]


@dataclass(frozen=True)
class EventFormValues:
    """An event as the edit form opens it: texts per language, local times, the version."""

    id: int
    code: str
    greenway_id: int
    values: Mapping[str, str]
    version: int


def _audit_target(event_id: int) -> str:
    return f"event:{event_id}"


def _require_admin(actor: Actor) -> None:
    if not actor.holds(Role.ADMIN):
        raise PermissionError("editing events is for admins")


async def greenways_with_events(
    session: AsyncSession, actor: Actor, now: datetime
) -> list[GreenwayEvents]:
    """Every greenway with its events not cancelled and not yet ended, soonest first."""
    _require_admin(actor)
    events = await repo.upcoming(session, now)
    return [
        GreenwayEvents(greenway, [e for e in events if e.greenway_id == greenway.id])
        for greenway in await repo.greenways(session)
    ]


def _texts(translations: Translations | None) -> dict[str, str]:
    """Per form language; a text the same in every language (`*`) fills each."""
    found = dict(translations or {})
    every = found.get("*")
    return {lang: found.get(lang) or every or "" for lang in LANGUAGES}


async def read_event(
    session: AsyncSession, actor: Actor, event_id: int, zone: ZoneInfo
) -> EventFormValues:
    _require_admin(actor)
    event = await session.get(Event, event_id)
    if event is None:
        raise EventNotFound(event_id)
    values: dict[str, str] = {}
    for name in ("title", "description", "place"):
        for lang, text in _texts(getattr(event, name)).items():
            values[f"{name}_{lang}"] = text
    values["start"] = local_time(event.start_at, zone)
    values["end"] = local_time(event.end_at, zone)
    values["lat"] = "" if event.lat is None else f"{event.lat:g}"
    values["lon"] = "" if event.lon is None else f"{event.lon:g}"
    values["cancelled"] = "yes" if event.cancelled else ""
    return EventFormValues(event.id, event.code, event.greenway_id, values, event.version)


def _start_in_future(entry: EventEntry, now: datetime) -> None:
    if entry.start <= now:
        raise EventFormRefused({"start": _("The start must be in the future.")})


async def _new_code(session: AsyncSession, greenway: Greenway, start: datetime) -> str:
    """Unique among events, so a later export and import keep this event apart."""
    stem = f"{greenway.code[:40].rstrip('-')}-{start:%Y%m%d}"
    while True:
        code = f"{stem}-{secrets.token_hex(3)}"[:CODE_MAX_LENGTH]
        if not await repo.code_taken(session, code):
            return code


async def add_event(
    session: AsyncSession,
    actor: Actor,
    greenway_id: int,
    form: EventForm,
    now: datetime,
    policy: ReminderPolicy,
) -> int:
    """Adds an event to a greenway; its followers are told (as of a new imported event)."""
    _require_admin(actor)
    greenway = await session.get(Greenway, greenway_id)
    if greenway is None:
        raise EventNotFound(greenway_id)
    entry = checked_event(form, "new-event", greenway.code, policy.zone)
    _start_in_future(entry, now)
    code = await _new_code(session, greenway, entry.start.astimezone(policy.zone))
    event = repo.add(session, {"code": code, "greenway_id": greenway.id, **event_columns(entry)})
    await session.flush()
    audit.record(session, actor.telegram_id, "event.created", _audit_target(event.id), now)
    await tell_about_catalog_changes(
        session, new=[event.id], rescheduled=[], cancelled=[], now=now, policy=policy
    )
    await session.commit()
    return event.id


async def _open(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id)
    if event is None or event.cancelled:
        raise EventNotFound(event_id)
    return event


async def edit_event(
    session: AsyncSession,
    actor: Actor,
    event_id: int,
    version: int,
    form: EventForm,
    now: datetime,
    policy: ReminderPolicy,
) -> int:
    """Saves the form over the event opened at `version`; a move tells those going.

    Returns the new version.
    """
    _require_admin(actor)
    event = await _open(session, event_id)
    greenway = await session.get(Greenway, event.greenway_id)
    assert greenway is not None
    entry = checked_event(form, event.code, greenway.code, policy.zone)
    moved = (entry.start, entry.end) != (event.start_at, event.end_at)
    if moved:
        _start_in_future(entry, now)
    if not await repo.save_if_version(session, event_id, version, event_columns(entry)):
        await session.rollback()
        raise EventChangedMeanwhile(event_id)
    session.expire(event)  # the UPDATE went past the identity map
    audit.record(session, actor.telegram_id, "event.updated", _audit_target(event_id), now)
    await tell_about_catalog_changes(
        session, new=[], rescheduled=[event_id] if moved else [], cancelled=[], now=now,
        policy=policy,
    )  # fmt: skip
    await session.commit()
    return version + 1


async def cancel_event(
    session: AsyncSession,
    actor: Actor,
    event_id: int,
    version: int,
    now: datetime,
    policy: ReminderPolicy,
) -> None:
    """Cancels the event opened at `version`; those who said they will come are told."""
    _require_admin(actor)
    event = await _open(session, event_id)
    if not await repo.save_if_version(session, event_id, version, {"cancelled": True}):
        await session.rollback()
        raise EventChangedMeanwhile(event_id)
    session.expire(event)
    audit.record(session, actor.telegram_id, "event.cancelled", _audit_target(event_id), now)
    await tell_about_catalog_changes(
        session, new=[], rescheduled=[], cancelled=[event_id], now=now, policy=policy
    )
    await session.commit()
