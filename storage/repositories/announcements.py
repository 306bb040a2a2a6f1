"""Announcements: who is in an audience, freezing it into deliveries, and their progress.

Audiences are SELECTs of Telegram ids, combined with UNION and frozen with one
INSERT … SELECT, so tens of thousands of recipients never pass through Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
    Delivery,
    DeliveryStatus,
    Greenway,
    Project,
    Quartiere,
    SignupStatus,
    User,
    Volunteer,
)
from storage.repositories.memberships import memberships
from storage.repositories.outbox import ANNOUNCEMENT_CANCELLED
from storage.types import JsonType, UTCDateTime

# A SELECT of one column of Telegram ids.
Ids = Select[Any]


def everyone() -> Ids:
    return select(User.telegram_id)


def in_quartiere(quartiere_id: int) -> Ids:
    return select(User.telegram_id).where(User.home_quartiere_id == quartiere_id)


def volunteers_of(project_id: int, signup_statuses: Collection[SignupStatus]) -> Ids:
    """The project's members: a signup in `signup_statuses` on its shifts, or added by a tutor."""
    return select(memberships(signup_statuses, project_id=project_id).c.telegram_id)


def speaking(locale: str, supported: Sequence[str], default: str) -> Ids:
    return select(User.telegram_id).where(resolved_locale(supported, default) == locale)


def resolved_locale(supported: Sequence[str], default: str) -> ColumnElement[str]:
    """`bot.i18n.resolve_locale` in SQL: the choice, else the Telegram language, else default."""
    telegram = func.replace(func.lower(func.coalesce(User.telegram_locale, "")), "_", "-")
    whens: list[tuple[ColumnElement[bool], Any]] = [
        (User.chosen_locale.in_(supported), User.chosen_locale)
    ]
    whens += [
        (or_(telegram == locale, telegram.startswith(f"{locale}-")), literal(locale))
        for locale in supported
    ]
    return case(*whens, else_=literal(default))


def all_volunteers() -> Ids:
    return select(Volunteer.telegram_id)


def reachable(parts: Sequence[Ids], *, urgent: bool) -> Ids:
    """Each recipient once: users who can be reached and, unless urgent, have not muted."""
    members = union(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    query = select(User.telegram_id).where(
        User.telegram_id.in_(select(members.c[0])), User.unreachable_at.is_(None)
    )
    if not urgent:
        query = query.where(User.mute_announcements.is_(False))
    return query


async def count(session: AsyncSession, query: Ids) -> int:
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


async def quartiere_named(session: AsyncSession, name: str) -> Quartiere | None:
    wanted = name.strip().lower()
    return await session.scalar(
        select(Quartiere)
        .where(or_(func.lower(Quartiere.name) == wanted, Quartiere.code == wanted))
        .limit(1)
    )


async def greenway_by_code(session: AsyncSession, code: str) -> Greenway | None:
    return await session.scalar(select(Greenway).where(Greenway.code == code.strip().lower()))


async def list_projects(session: AsyncSession) -> list[Project]:
    return list(await session.scalars(select(Project).order_by(Project.code)))


async def add(session: AsyncSession, announcement: Announcement) -> Announcement:
    session.add(announcement)
    await session.flush()
    return announcement


async def get(session: AsyncSession, announcement_id: int) -> Announcement | None:
    return await session.get(Announcement, announcement_id)


async def freeze(
    session: AsyncSession,
    announcement: Announcement,
    recipients: Ids,
    *,
    kind: str,
    message_key: str,
    key_prefix: str,
    priority: int,
    params: dict[str, Any],
    now: datetime,
) -> int:
    """One pending delivery per recipient, in a single INSERT … SELECT; returns how many.

    Each one's de-duplication key is `key_prefix` followed by the recipient's Telegram id.
    """
    chosen = recipients.subquery()
    json_params: Any = literal(params, JsonType)
    if session.get_bind().dialect.name == "postgresql":
        json_params = cast(json_params, JsonType)
    rows = select(
        chosen.c.telegram_id,
        literal(kind),
        literal(priority),
        literal(message_key),
        json_params,
        literal(key_prefix) + cast(chosen.c.telegram_id, String),
        literal(announcement.send_at, UTCDateTime()),
        literal(DeliveryStatus.PENDING.value),
        literal(0),
        literal(now, UTCDateTime()),
        literal(announcement.id),
    )
    columns = (
        "recipient_id",
        "kind",
        "priority",
        "message_key",
        "params",
        "dedup_key",
        "due_at",
        "status",
        "attempts",
        "created_at",
        "announcement_id",
    )
    result = await session.execute(insert(Delivery).from_select(columns, rows))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def status_counts(
    session: AsyncSession, announcement_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    rows = await session.execute(
        select(Delivery.announcement_id, Delivery.status, func.count())
        .where(Delivery.announcement_id.in_(announcement_ids))
        .group_by(Delivery.announcement_id, Delivery.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for announcement_id, status, number in rows:
        counts.setdefault(int(announcement_id or 0), {})[status] = int(number)
    return counts


# Where an erased delivery's status is counted; one never sent counts as cancelled.
_ERASED_COLUMNS = {
    DeliveryStatus.SENT: "erased_sent",
    DeliveryStatus.FAILED: "erased_failed",
    DeliveryStatus.SKIPPED: "erased_skipped",
}


async def keep_totals(session: AsyncSession, erased: ColumnElement[bool]) -> None:
    """Called just before deleting the deliveries `erased` selects: each announcement keeps
    their counts by status, so its totals do not change when the rows go."""
    rows = await session.execute(
        select(Delivery.announcement_id, Delivery.status, func.count())
        .where(erased, Delivery.announcement_id.is_not(None))
        .group_by(Delivery.announcement_id, Delivery.status)
    )
    for announcement_id, status, number in rows.all():
        name = _ERASED_COLUMNS.get(DeliveryStatus(status), "erased_cancelled")
        column = getattr(Announcement, name)
        await session.execute(
            update(Announcement)
            .where(Announcement.id == announcement_id)
            .values({name: column + int(number)})
        )


async def cancel_pending(session: AsyncSession, announcement_id: int) -> int:
    """Pending deliveries become cancelled; the sender withdraws those it has claimed."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.announcement_id == announcement_id,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.CANCELLED, withdrawn_reason=ANNOUNCEMENT_CANCELLED)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def recent(session: AsyncSession, limit: int) -> list[Announcement]:
    return list(
        await session.scalars(select(Announcement).order_by(Announcement.id.desc()).limit(limit))
    )


async def unreported(session: AsyncSession) -> list[Announcement]:
    """Announcements whose admin still follows a progress message."""
    return list(
        await session.scalars(
            select(Announcement)
            .where(
                Announcement.progress_message_id.is_not(None),
                Announcement.reported_at.is_(None),
            )
            .order_by(Announcement.id)
        )
    )


async def not_delivered(
    session: AsyncSession, announcement_id: int, statuses: Sequence[str]
) -> list[tuple[int, str, str | None]]:
    rows = await session.execute(
        select(Delivery.recipient_id, Delivery.status, Delivery.last_error)
        .where(Delivery.announcement_id == announcement_id, Delivery.status.in_(statuses))
        .order_by(Delivery.recipient_id)
    )
    return [(int(recipient), status, error) for recipient, status, error in rows]


async def user_locale(session: AsyncSession, telegram_id: int) -> tuple[str | None, str | None]:
    row = (
        await session.execute(
            select(User.chosen_locale, User.telegram_locale).where(User.telegram_id == telegram_id)
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)


async def set_muted(session: AsyncSession, telegram_id: int, muted: bool) -> bool:
    result = await session.execute(
        update(User).where(User.telegram_id == telegram_id).values(mute_announcements=muted)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def is_muted(session: AsyncSession, telegram_id: int) -> bool:
    muted = await session.scalar(
        select(User.mute_announcements).where(User.telegram_id == telegram_id)
    )
    return bool(muted)
