"""Greenway events, who said they will come, and who follows which greenway."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Event, EventRsvp, Greenway, GreenwaySubscription, User


def _on(*conditions: ColumnElement[bool]) -> Select[Event, Greenway]:
    """Events that are not cancelled, with their greenway, soonest first."""
    return (
        select(Event, Greenway)
        .join(Greenway, Greenway.id == Event.greenway_id)
        .where(Event.cancelled.is_(False), *conditions)
        .order_by(Event.start_at, Event.id)
    )


async def _pairs(
    session: AsyncSession, query: Select[Event, Greenway]
) -> list[tuple[Event, Greenway]]:
    return [(event, greenway) for event, greenway in await session.execute(query)]


async def upcoming_events(
    session: AsyncSession, now: datetime, greenway_id: int | None, offset: int, limit: int
) -> tuple[list[tuple[Event, Greenway]], int]:
    """Events not cancelled and not yet ended, soonest first, with their greenway."""
    conditions = [Event.end_at > now]
    if greenway_id is not None:
        conditions.append(Event.greenway_id == greenway_id)
    query = _on(*conditions)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return await _pairs(session, query.offset(offset).limit(limit)), int(total or 0)


async def events_starting_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[tuple[Event, Greenway]]:
    return await _pairs(session, _on(Event.start_at >= start, Event.start_at < end))


async def event_with_greenway(
    session: AsyncSession, event_id: int
) -> tuple[Event, Greenway] | None:
    row = (
        await session.execute(
            select(Event, Greenway)
            .join(Greenway, Greenway.id == Event.greenway_id)
            .where(Event.id == event_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def lock_event(session: AsyncSession, event_id: int) -> None:
    """Row-locks the event (PostgreSQL) or takes the write lock (SQLite), so an RSVP and a
    catalog import changing the event are never interleaved."""
    await session.execute(
        update(Event).where(Event.id == event_id).values(cancelled=Event.cancelled),
        execution_options={"synchronize_session": False},
    )


async def get_greenway(session: AsyncSession, greenway_id: int) -> Greenway | None:
    return await session.get(Greenway, greenway_id)


async def get_rsvp(session: AsyncSession, event_id: int, telegram_id: int) -> EventRsvp | None:
    return await session.get(EventRsvp, (event_id, telegram_id))


def add_rsvp(session: AsyncSession, event_id: int, telegram_id: int, now: datetime) -> None:
    session.add(EventRsvp(event_id=event_id, telegram_id=telegram_id, created_at=now))


async def delete_rsvp(session: AsyncSession, event_id: int, telegram_id: int) -> bool:
    result = await session.execute(
        delete(EventRsvp).where(
            EventRsvp.event_id == event_id, EventRsvp.telegram_id == telegram_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def going_to(session: AsyncSession, telegram_id: int, event_ids: Iterable[int]) -> set[int]:
    """Which of these events the user said they will come to."""
    ids = list(event_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(EventRsvp.event_id).where(
            EventRsvp.telegram_id == telegram_id, EventRsvp.event_id.in_(ids)
        )
    )
    return set(rows)


async def rsvp_holders(session: AsyncSession, event_id: int) -> list[int]:
    rows = await session.scalars(
        select(EventRsvp.telegram_id)
        .where(EventRsvp.event_id == event_id)
        .order_by(EventRsvp.telegram_id)
    )
    return list(rows)


async def upcoming_rsvps(
    session: AsyncSession, telegram_id: int, now: datetime
) -> list[tuple[Event, Greenway]]:
    """The events still to start that the user said they will come to."""
    query = _on(Event.start_at > now).join(EventRsvp, EventRsvp.event_id == Event.id)
    return await _pairs(session, query.where(EventRsvp.telegram_id == telegram_id))


async def subscribed_greenways(session: AsyncSession, telegram_id: int) -> set[int]:
    rows = await session.scalars(
        select(GreenwaySubscription.greenway_id).where(
            GreenwaySubscription.telegram_id == telegram_id
        )
    )
    return set(rows)


async def get_subscription(
    session: AsyncSession, telegram_id: int, greenway_id: int
) -> GreenwaySubscription | None:
    return await session.get(GreenwaySubscription, (telegram_id, greenway_id))


def add_subscription(
    session: AsyncSession, telegram_id: int, greenway_id: int, now: datetime
) -> None:
    session.add(
        GreenwaySubscription(telegram_id=telegram_id, greenway_id=greenway_id, created_at=now)
    )


async def delete_subscription(session: AsyncSession, telegram_id: int, greenway_id: int) -> None:
    await session.execute(
        delete(GreenwaySubscription).where(
            GreenwaySubscription.telegram_id == telegram_id,
            GreenwaySubscription.greenway_id == greenway_id,
        )
    )


def subscribers_of(greenway_id: int) -> Select[Any]:
    """A greenway's followers: its subscribers and everyone following all, each once."""
    subscribed = select(GreenwaySubscription.telegram_id).where(
        GreenwaySubscription.greenway_id == greenway_id
    )
    every_greenway = select(User.telegram_id).where(User.all_greenways.is_(True))
    return select(union(subscribed, every_greenway).subquery().c.telegram_id)


async def greenway_audience(session: AsyncSession, greenway_id: int) -> list[int]:
    """Who hears of a greenway's events: its subscribers and everyone following all."""
    query = subscribers_of(greenway_id)
    rows = await session.scalars(query.order_by(query.selected_columns[0]))
    return [int(telegram_id) for telegram_id in rows]


async def digest_readers(session: AsyncSession) -> list[tuple[int, bool]]:
    """The users who opted in to the weekly digest, with whether they follow every greenway."""
    rows = await session.execute(
        select(User.telegram_id, User.all_greenways)
        .where(User.events_digest.is_(True))
        .order_by(User.telegram_id)
    )
    return [(int(telegram_id), bool(every)) for telegram_id, every in rows]


async def digest_subscriptions(session: AsyncSession) -> dict[int, set[int]]:
    """The greenways each digest reader follows one by one (joined, so no id list is sent)."""
    rows = await session.execute(
        select(GreenwaySubscription.telegram_id, GreenwaySubscription.greenway_id)
        .join(User, User.telegram_id == GreenwaySubscription.telegram_id)
        .where(User.events_digest.is_(True))
    )
    found: dict[int, set[int]] = {}
    for telegram_id, greenway_id in rows:
        found.setdefault(int(telegram_id), set()).add(int(greenway_id))
    return found
