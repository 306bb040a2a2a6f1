"""Staff announcements: compose, choose an audience, freeze it into the outbox, follow it.

At confirmation the audience is frozen into one outbox delivery per recipient (a union
counts each person once; users who blocked the bot, and for a non-urgent announcement those
who muted announcements, are left out), due at the chosen time. The outbox's sender
delivers them after reminders and other notices; the progress is counted from the
deliveries in SQL, so it survives a restart, plus the counts the announcement keeps of
deliveries erased since, so its totals never change when a recipient is forgotten.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import csv_cells
from bot.i18n import resolve_locale
from bot.notices.announcements import ANNOUNCEMENT, URGENT_PRIORITY
from bot.services.announcements import audiences, send_time, telegram_html
from bot.services.people import audit, roles
from bot.services.volunteering.reminder_times import QuietHours, defer_out_of_quiet_hours
from bot.settings import SUPPORTED_LOCALES
from storage.models import Announcement, DeliveryStatus
from storage.repositories import announcements as repo
from storage.types import Translations

MESSAGE_KEY = "announcement"
# After reminders and every other notice; an urgent announcement before the ordinary ones.
RECENT = 5


class Problem(StrEnum):
    TEXT = "text"
    PAST = "past"
    LANGUAGE = "language"
    TIME = "time"


class AnnouncementError(ValueError):
    """An announcement that cannot be queued; `str()` is a one-line reason in English."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


class NotAllowed(PermissionError):
    """Only admins make announcements."""


@dataclass(frozen=True)
class Draft:
    text: str  # Telegram HTML; the caption when there is a photo
    audience: str = audiences.Kind.ALL.value
    versions: Translations = field(default_factory=dict)
    photo: str | None = None
    urgent: bool = False
    send_at: datetime | None = None  # None: now


@dataclass(frozen=True)
class Progress:
    id: int
    token: str
    audience: str
    urgent: bool
    send_at: datetime
    recipients: int
    sent: int
    failed: int
    blocked: int
    cancelled: int
    remaining: int
    cancelled_at: datetime | None
    chat_id: int | None
    message_id: int | None

    @property
    def finished(self) -> bool:
        return self.remaining == 0


def parse_send_time(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """When to send, as `send_time.parse_send_time` reads it; a past time is refused."""
    try:
        return send_time.parse_send_time(text, now, zone)
    except send_time.SendTimeError as error:
        problem = Problem.PAST if error.problem is send_time.Problem.PAST else Problem.TIME
        raise AnnouncementError(problem, error.detail) from None


def check_texts(draft: Draft) -> None:
    """Telegram would refuse the whole message for bad HTML: refuse it before queuing."""
    limit = telegram_html.CAPTION_LIMIT if draft.photo else telegram_html.MESSAGE_LIMIT
    for locale in draft.versions:
        if locale not in SUPPORTED_LOCALES:
            raise AnnouncementError(Problem.LANGUAGE, f"no such language: {locale}")
    for text in (draft.text, *draft.versions.values()):
        try:
            if draft.photo and not text.strip():
                continue  # a photo may go without a caption
            telegram_html.check(text, limit=limit)
        except telegram_html.HtmlError as error:
            raise AnnouncementError(Problem.TEXT, str(error)) from None


def fingerprint(draft: Draft) -> str:
    """A short mark of everything a preview shows (11 characters, fits in callback data).

    The Send button carries it, so a button under an older preview sends nothing.
    """
    shown = [
        draft.text,
        draft.audience,
        sorted(draft.versions.items()),
        draft.photo,
        draft.urgent,
        draft.send_at.isoformat() if draft.send_at else None,
    ]
    digest = hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).digest()
    return base64.urlsafe_b64encode(digest[:8]).decode().rstrip("=")


def going_out_at(
    draft: Draft, now: datetime, quiet_hours: QuietHours | None, zone: ZoneInfo
) -> datetime:
    """The chosen time (now by default); a non-urgent announcement waits out quiet hours."""
    moment = draft.send_at or now
    if draft.urgent:
        return moment
    return defer_out_of_quiet_hours(moment, quiet_hours, zone)


def _require_admin(actor: roles.Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed(actor.telegram_id)


async def announce(
    session: AsyncSession,
    draft: Draft,
    *,
    actor: int | None,
    admin_ids: tuple[int, ...],
    now: datetime,
    default_locale: str,
    progress_at: tuple[int, int] | None = None,
    quiet_hours: QuietHours | None = None,
    zone: ZoneInfo | None = None,
) -> Progress:
    """Freezes the audience into the outbox and commits; `actor` None is the command line.

    `progress_at` is the (chat, message) where the admin follows the sending.
    """
    if actor is not None:
        _require_admin(await roles.actor_of(session, actor, admin_ids))
    check_texts(draft)
    if draft.send_at is not None and draft.send_at < now:
        raise AnnouncementError(Problem.PAST, "the time to send is in the past")
    send_at = going_out_at(draft, now, quiet_hours, zone) if zone else draft.send_at or now
    audience = audiences.join_audience(audiences.parse_audience(draft.audience))
    recipients = await audiences.recipients(
        session, audience, urgent=draft.urgent, default_locale=default_locale
    )
    chat_id, message_id = progress_at or (None, None)
    announcement = await repo.add(
        session,
        Announcement(
            token=uuid.uuid4().hex,
            created_by=actor,
            created_at=now,
            text=draft.text,
            versions=dict(draft.versions),
            photo_file_id=draft.photo,
            audience=audience,
            urgent=draft.urgent,
            send_at=send_at,
            recipients=0,
            progress_chat_id=chat_id,
            progress_message_id=message_id,
        ),
    )
    params = {
        "announcement_id": announcement.id,
        "token": announcement.token,
        "text": draft.text,
        "versions": dict(draft.versions),
        "photo": draft.photo,
    }
    announcement.recipients = await repo.freeze(
        session,
        announcement,
        recipients,
        kind=ANNOUNCEMENT.kind,
        message_key=ANNOUNCEMENT.message_key,
        key_prefix=ANNOUNCEMENT.family(announcement.id)[0],
        priority=URGENT_PRIORITY if draft.urgent else ANNOUNCEMENT.priority,
        params=params,
        now=now,
    )
    audit.record(
        session,
        actor,
        "broadcast.queued",
        f"announcement:{announcement.id}",
        now,
        audience=audience,
        recipients=announcement.recipients,
    )
    await session.commit()
    return await _progress(session, announcement)


async def cancel(
    session: AsyncSession,
    announcement_id: int,
    *,
    actor: roles.Actor,
    now: datetime,
) -> Progress:
    """Cancels what has not been sent yet and commits.

    Deliveries the sender has already claimed are withdrawn by the sender, which reads
    the announcement's cancellation at each claim and again just before each send.
    """
    _require_admin(actor)
    announcement = await repo.get(session, announcement_id)
    if announcement is None:
        raise LookupError(announcement_id)
    await repo.cancel_pending(session, announcement_id)
    if announcement.cancelled_at is None:
        announcement.cancelled_at = now
        target = f"announcement:{announcement_id}"
        audit.record(session, actor.telegram_id, "broadcast.cancelled", target, now)
    await session.commit()
    return await _progress(session, announcement)


async def progress(session: AsyncSession, announcement_id: int) -> Progress:
    announcement = await repo.get(session, announcement_id)
    if announcement is None:
        raise LookupError(announcement_id)
    return await _progress(session, announcement)


async def recent(
    session: AsyncSession, *, actor: roles.Actor, limit: int = RECENT
) -> list[Progress]:
    _require_admin(actor)
    return await _progresses(session, await repo.recent(session, limit))


async def followed(session: AsyncSession) -> list[Progress]:
    """Announcements whose admin still has a progress message to be kept up to date."""
    return await _progresses(session, await repo.unreported(session))


async def mark_reported(session: AsyncSession, announcement_id: int, now: datetime) -> None:
    announcement = await repo.get(session, announcement_id)
    if announcement is not None:
        announcement.reported_at = now
        await session.commit()


async def failures_csv(session: AsyncSession, announcement_id: int) -> str:
    """The recipients not reached, as CSV: `telegram_user_id,status,reason`."""
    rows = await repo.not_delivered(
        session, announcement_id, (DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
    )
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\n")
    writer.writerow(("telegram_user_id", "status", "reason"))
    for recipient, status, error in rows:
        writer.writerow(
            (recipient, "blocked" if status == DeliveryStatus.SKIPPED else status, error)
        )
    return buffer.getvalue()


async def locale_of(session: AsyncSession, telegram_id: int, default_locale: str) -> str:
    chosen, telegram = await repo.user_locale(session, telegram_id)
    return resolve_locale(chosen, telegram, default_locale)


async def set_muted(session: AsyncSession, telegram_id: int, muted: bool) -> None:
    """The user's choice to receive only urgent announcements; committed."""
    if not await repo.set_muted(session, telegram_id, muted):
        raise LookupError(telegram_id)
    await session.commit()


async def is_muted(session: AsyncSession, telegram_id: int) -> bool:
    return await repo.is_muted(session, telegram_id)


async def _progress(session: AsyncSession, announcement: Announcement) -> Progress:
    [found] = await _progresses(session, [announcement])
    return found


async def _progresses(
    session: AsyncSession, announcements: Sequence[Announcement]
) -> list[Progress]:
    counts = await repo.status_counts(session, [a.id for a in announcements])
    result = []
    for announcement in announcements:
        by_status = counts.get(announcement.id, {})
        result.append(
            Progress(
                id=announcement.id,
                token=announcement.token,
                audience=announcement.audience,
                urgent=announcement.urgent,
                send_at=announcement.send_at,
                recipients=announcement.recipients,
                # Deliveries erased since (a recipient's /forget, retention) still count.
                sent=by_status.get(DeliveryStatus.SENT, 0) + announcement.erased_sent,
                failed=by_status.get(DeliveryStatus.FAILED, 0) + announcement.erased_failed,
                blocked=by_status.get(DeliveryStatus.SKIPPED, 0) + announcement.erased_skipped,
                cancelled=by_status.get(DeliveryStatus.CANCELLED, 0)
                + announcement.erased_cancelled,
                remaining=by_status.get(DeliveryStatus.PENDING, 0)
                + by_status.get(DeliveryStatus.SENDING, 0),
                cancelled_at=announcement.cancelled_at,
                chat_id=announcement.progress_chat_id,
                message_id=announcement.progress_message_id,
            )
        )
    return result
