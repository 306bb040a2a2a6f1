"""Greenway events: the upcoming ones, saying "I'll come", and following greenways.

An RSVP plans the user's reminders in the same transaction; taking it back withdraws them.
Following a greenway (or all of them) is what the new-event notices go by; the weekly
digest is a separate opt-in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.events import reminders as event_reminders
from bot.services.events.info import EventInfo, event_info
from bot.services.volunteering.reminder_times import ReminderPolicy
from storage.repositories import catalog as catalog_repo
from storage.repositories import events as repo
from storage.repositories import users as users_repo
from storage.types import Translations

PAGE_SIZE = 3


class Refusal(StrEnum):
    UNKNOWN_EVENT = "unknown_event"
    EVENT_CANCELLED = "event_cancelled"
    EVENT_OVER = "event_over"
    UNKNOWN_GREENWAY = "unknown_greenway"


class EventError(ValueError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class GreenwayChoice:
    id: int
    code: str
    name: Translations
    followed: bool


@dataclass(frozen=True)
class EventPage:
    events: tuple[EventInfo, ...]
    page: int
    pages: int
    total: int
    greenway: GreenwayChoice | None  # the filter, when one is applied


@dataclass(frozen=True)
class Following:
    every_greenway: bool
    digest: bool
    greenways: tuple[GreenwayChoice, ...]


async def upcoming_events(
    session: AsyncSession,
    telegram_id: int,
    now: datetime,
    *,
    greenway_id: int | None = None,
    page: int = 0,
    size: int = PAGE_SIZE,
) -> EventPage:
    """A page of the events still to end, soonest first; a page past the end shows the last."""
    greenway = await repo.get_greenway(session, greenway_id) if greenway_id else None
    choice = None
    if greenway is not None:
        followed = greenway.id in await repo.subscribed_greenways(session, telegram_id)
        choice = GreenwayChoice(greenway.id, greenway.code, greenway.name, followed)
    filter_id = greenway.id if greenway is not None else None
    page = max(page, 0)
    rows, total = await repo.upcoming_events(session, now, filter_id, page * size, size)
    pages = max(1, -(-total // size))
    if page >= pages and total:
        page = pages - 1
        rows, total = await repo.upcoming_events(session, now, filter_id, page * size, size)
    going = await repo.going_to(session, telegram_id, [event.id for event, _ in rows])
    events = tuple(event_info(event, gw, event.id in going) for event, gw in rows)
    return EventPage(events, page, pages, total, choice)


async def _live_event(session: AsyncSession, event_id: int) -> EventInfo:
    """The event unless it is gone or cancelled (then EventError says which)."""
    found = await repo.event_with_greenway(session, event_id)
    if found is None:
        raise EventError(Refusal.UNKNOWN_EVENT)
    if found[0].cancelled:
        raise EventError(Refusal.EVENT_CANCELLED)
    return event_info(*found, going=False)


async def event_details(session: AsyncSession, telegram_id: int, event_id: int) -> EventInfo:
    """One event, for its map pin or calendar file; refused once cancelled."""
    info = await _live_event(session, event_id)
    return _with_going(info, await repo.get_rsvp(session, event_id, telegram_id) is not None)


async def _open_event(session: AsyncSession, event_id: int, now: datetime) -> EventInfo:
    """The event, locked, while people may still say they will come or take it back."""
    await repo.lock_event(session, event_id)
    info = await _live_event(session, event_id)
    if info.start_at <= now:
        raise EventError(Refusal.EVENT_OVER)
    return info


async def will_come(
    session: AsyncSession, telegram_id: int, event_id: int, now: datetime, policy: ReminderPolicy
) -> tuple[EventInfo, int]:
    """Says the user will come and plans their reminders; returns how many were planned.

    Saying it twice changes nothing.
    """
    info = await _open_event(session, event_id, now)
    reminders = 0
    if await repo.get_rsvp(session, event_id, telegram_id) is None:
        repo.add_rsvp(session, event_id, telegram_id, now)
        reminders = await event_reminders.plan_for_user(session, info, telegram_id, now, policy)
    await session.commit()
    return _with_going(info, True), reminders


async def wont_come(
    session: AsyncSession, telegram_id: int, event_id: int, now: datetime
) -> EventInfo:
    """Takes the RSVP back and withdraws the pending reminders."""
    info = await _open_event(session, event_id, now)
    if await repo.delete_rsvp(session, event_id, telegram_id):
        await event_reminders.withdraw(session, event_id, telegram_id)
    await session.commit()
    return _with_going(info, False)


def _with_going(info: EventInfo, going: bool) -> EventInfo:
    return dataclasses.replace(info, going=going)


async def following(session: AsyncSession, telegram_id: int) -> Following:
    """What the user follows; following every greenway shows each one as followed."""
    user = await users_repo.get_user(session, telegram_id)
    every = user is not None and user.all_greenways
    followed = await repo.subscribed_greenways(session, telegram_id)
    greenways = tuple(
        GreenwayChoice(g.id, g.code, g.name, every or g.id in followed)
        for g in await catalog_repo.list_greenways(session)
    )
    return Following(every, user is not None and user.events_digest, greenways)


async def follow_greenway(
    session: AsyncSession, telegram_id: int, greenway_id: int, on: bool, now: datetime
) -> Following:
    """Subscribes to (or leaves) one greenway's new events; pressing twice changes nothing.

    Leaving one while following every greenway ends "every greenway" and keeps the others
    followed one by one, so the menu never shows a greenway both left and followed.
    """
    if await repo.get_greenway(session, greenway_id) is None:
        raise EventError(Refusal.UNKNOWN_GREENWAY)
    user = await users_repo.get_user(session, telegram_id)
    held = await repo.subscribed_greenways(session, telegram_id)
    if not on and user is not None and user.all_greenways:
        user.all_greenways = False
        for greenway in await catalog_repo.list_greenways(session):
            if greenway.id != greenway_id and greenway.id not in held:
                repo.add_subscription(session, telegram_id, greenway.id, now)
    if on and greenway_id not in held:
        repo.add_subscription(session, telegram_id, greenway_id, now)
    elif not on and greenway_id in held:
        await repo.delete_subscription(session, telegram_id, greenway_id)
    await session.commit()
    return await following(session, telegram_id)


async def follow_every_greenway(session: AsyncSession, telegram_id: int, on: bool) -> Following:
    """Every greenway, also those added later; turned off, the user follows none of them
    (each greenway's toggle showed it followed, so each one is left)."""
    if not on:
        for greenway_id in await repo.subscribed_greenways(session, telegram_id):
            await repo.delete_subscription(session, telegram_id, greenway_id)
    return await _set_flag(session, telegram_id, "all_greenways", on)


async def set_digest(session: AsyncSession, telegram_id: int, on: bool) -> Following:
    """The Monday digest of the week's events on the greenways the user follows."""
    return await _set_flag(session, telegram_id, "events_digest", on)


async def _set_flag(session: AsyncSession, telegram_id: int, flag: str, on: bool) -> Following:
    user = await users_repo.get_user(session, telegram_id)
    if user is not None:
        setattr(user, flag, on)
        await session.commit()
    return await following(session, telegram_id)
