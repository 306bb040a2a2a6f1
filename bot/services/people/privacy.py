"""The rights a person can exercise from the chat: see everything stored (/mydata), be forgotten.

Forgetting erases the profile, choices, notices and conversations. What the volunteer
register must keep by law (registration, consent, attendance, hours given) is
pseudonymised: re-keyed to a random id never linked back to the person, with the name,
phone and exact birth date removed; that rewrite is itself a dated register entry.
Approved hours stay under the pseudonym, so the programme's figures do not change.
That someone was removed from the staff is kept as long as the audit log, forgetting or
not: it keeps a catalog from appointing them again. A volunteer's reply to a tutor is stored
in the tutor's outbox: it is the volunteer's data, shown to them and erased with them.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.hours import SUBMITTED
from bot.notices.shifts import VOLUNTEER_REPLY
from bot.services.volunteering import shifts
from storage.models import Delivery, HourReportStatus, SignupStatus, StaffRole
from storage.repositories import privacy as repo
from storage.repositories import volunteers as volunteers_repo

PSEUDONYM_NAME = "—"  # shown by exports in place of a forgotten volunteer's name
_PERSONAL_FIELDS = ("full_name", "phone", "previous_phone", "birth_date")


class ConversationStore(Protocol):
    """Conversation state kept outside the database (Redis), handed over by the runtime."""

    async def held(self, telegram_id: int) -> list[dict[str, Any]]:
        """Every conversation state kept about the person, JSON-ready."""

    async def erase(self, telegram_id: int) -> None:
        """Deletes every conversation state kept about the person."""


class StaffCannotForget(PermissionError):
    """Staff are removed by the operator (`quartiere-bot staff remove`) before being forgotten."""


@dataclass(frozen=True)
class Forgotten:
    in_register: bool  # the register keeps a pseudonymised record
    approved_reports: int  # approved hour reports kept, anonymous, for the figures


def _when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _is_reply_by(delivery: Delivery, telegram_id: int) -> bool:
    """Whether a delivery is a reply this person sent to a tutor.

    The volunteer is in the reply's key, "volunteer-reply:SHIFT:VOLUNTEER:SENT_AT", not
    in its recipient (the tutor); tests pin that the key keeps this shape.
    """
    if delivery.message_key != VOLUNTEER_REPLY.message_key:
        return False
    parts = delivery.dedup_key.split(":", 3)
    return len(parts) == 4 and parts[2] == str(telegram_id)


async def replies_to_tutors(session: AsyncSession, telegram_id: int) -> list[Delivery]:
    """The replies the person sent to tutors, still in the tutors' outbox."""
    candidates = await repo.deliveries_with_key_like(
        session, VOLUNTEER_REPLY.message_key, f"%:{telegram_id}:%"
    )
    return [delivery for delivery in candidates if _is_reply_by(delivery, telegram_id)]


async def erase_replies_to_tutors(session: AsyncSession, telegram_id: int) -> int:
    """Deletes the person's replies from the tutors' outbox, sent or not; not committed."""
    replies = await replies_to_tutors(session, telegram_id)
    await repo.delete_deliveries(session, [reply.id for reply in replies])
    return len(replies)


async def my_data(
    session: AsyncSession, telegram_id: int, elsewhere: ConversationStore | None = None
) -> dict[str, Any]:
    """Everything stored about the person, as a JSON-ready document."""
    user = await repo.profile(session, telegram_id)
    volunteer = await repo.volunteer(session, telegram_id)
    removal = await repo.staff_removal(session, telegram_id)
    return {
        "telegram_id": telegram_id,
        "profile": None if user is None else _profile(user),
        "volunteer_register": None if volunteer is None else _volunteer(volunteer),
        "removed_from_staff_at": None if removal is None else _when(removal.removed_at),
        "staff_roles": [
            {
                "role": member.role.value,
                "scopes": projects if member.role is StaffRole.TUTOR else [member.scope],
                "since": _when(member.created_at),
            }
            for member, projects in await repo.staff_roles(session, telegram_id)
        ],
        "register_entries": [
            {
                "recorded_at": _when(entry.recorded_at),
                "action": entry.action,
                "data": entry.data,
                "recorded_by": entry.recorded_by,
            }
            for entry in await repo.register_entries(session, telegram_id)
        ],
        "places": [
            {
                "project": project.code,
                "shift": shift.code,
                "start": _when(shift.start_at),
                "end": _when(shift.end_at),
                "status": signup.status,
                "since": _when(signup.queued_at),
            }
            for signup, shift, project in await repo.places(session, telegram_id)
        ],
        "projects_joined": [
            {"project": code, "added_by": member.added_by, "added_at": _when(member.added_at)}
            for member, code in await repo.memberships(session, telegram_id)
        ],
        "hour_reports": [
            {
                "project": code,
                "date": _when(report.work_date),
                "minutes": report.minutes,
                "note": report.note,
                "status": report.status,
                "reviewed_by": report.reviewed_by,
                "reviewed_at": _when(report.reviewed_at),
                "reject_reason": report.reject_reason,
            }
            for report, code in await repo.hour_reports(session, telegram_id)
        ],
        "certificates": [
            {
                "code": certificate.code,
                "full_name": certificate.full_name,
                "from": _when(certificate.period_from),
                "to": _when(certificate.period_to),
                "minutes": certificate.minutes,
                "issued_at": _when(certificate.issued_at),
            }
            for certificate in await repo.certificates(session, telegram_id)
        ],
        "event_rsvps": [
            {"event": code, "since": _when(rsvp.created_at)}
            for rsvp, code in await repo.rsvps(session, telegram_id)
        ],
        "greenway_subscriptions": [
            {"greenway": code, "since": _when(subscription.created_at)}
            for subscription, code in await repo.subscriptions(session, telegram_id)
        ],
        "deliveries": [
            {
                "message": delivery.message_key,
                "params": delivery.params,
                "status": delivery.status,
                "due_at": _when(delivery.due_at),
                "sent_at": _when(delivery.sent_at),
            }
            for delivery in await repo.deliveries(session, telegram_id)
        ],
        "replies_to_tutors": [
            {
                "text": reply.params.get("text"),
                "project": reply.params.get("title"),
                "shift_start": reply.params.get("start"),
                "to_tutor": reply.recipient_id,
                "status": reply.status,
                "written_at": _when(reply.created_at),
                "sent_at": _when(reply.sent_at),
            }
            for reply in await replies_to_tutors(session, telegram_id)
        ],
        "conversation_state": [
            {"state": row.state, "data": row.data, "updated_at": _when(row.updated_at)}
            for row in await repo.conversations(session, telegram_id)
        ]
        + (await elsewhere.held(telegram_id) if elsewhere else []),
    }


def _profile(user: Any) -> dict[str, Any]:
    return {
        "name": user.display_name,
        "language_chosen": user.chosen_locale,
        "telegram_language": user.telegram_locale,
        "home_quartiere_id": user.home_quartiere_id,
        "home_quartiere_asked_at": _when(user.quartiere_asked_at),
        "first_seen": _when(user.created_at),
        "last_seen": _when(user.last_seen_at),
        "last_answered": _when(user.last_reply_at),
        "reminder_offsets_seconds": user.reminder_offsets,
        "events_digest": user.events_digest,
        "all_greenways": user.all_greenways,
        "mute_announcements": user.mute_announcements,
    }


def _volunteer(volunteer: Any) -> dict[str, Any]:
    return {
        "full_name": volunteer.full_name,
        "birth_date": _when(volunteer.birth_date),
        "phone": volunteer.phone,
        "resident": volunteer.resident,
        "registered_at": _when(volunteer.registered_at),
        "consent_at": _when(volunteer.consent_at),
        "identity_verified": volunteer.identity_verified,
        "needs_guardian": volunteer.needs_guardian,
        "guardian_confirmed": volunteer.guardian_confirmed,
        "needs_medical": volunteer.needs_medical,
        "medical_cleared": volunteer.medical_cleared,
    }


async def forget(
    session: AsyncSession,
    telegram_id: int,
    now: datetime,
    zone: str,
    elsewhere: ConversationStore | None = None,
) -> Forgotten:
    """Erases the person's data and pseudonymises the register; committed.

    Upcoming places are given up first, as the person would, so the waitlist moves on.
    Conversation state `elsewhere` goes just before the commit: a failure there erases nothing.
    """
    if await repo.is_staff(session, telegram_id):
        raise StaffCannotForget(telegram_id)
    for place in await shifts.my_places(session, telegram_id, now):
        with contextlib.suppress(shifts.ShiftError):  # started meanwhile: erased below
            await shifts.cancel_place(session, telegram_id, place.shift.id, now, zone=zone)
    volunteer = await repo.volunteer(session, telegram_id)
    entries = await repo.register_entries(session, telegram_id)
    approved = sum(
        1
        for report, _code in await repo.hour_reports(session, telegram_id)
        if report.status == HourReportStatus.APPROVED
    )
    await repo.erase_contact_data(session, telegram_id, SUBMITTED.family)
    await erase_replies_to_tutors(session, telegram_id)
    in_register = volunteer is not None or bool(entries)
    if in_register or approved:
        pseudonym = await _new_pseudonym(session)
        for entry in entries:
            entry.data = {k: v for k, v in entry.data.items() if k not in _PERSONAL_FIELDS}
        if volunteer is not None:
            volunteer.full_name = PSEUDONYM_NAME
            volunteer.phone = ""
            # The year shows the age rules that applied; the day would help re-identify.
            volunteer.birth_date = date(volunteer.birth_date.year, 1, 1)
        await session.flush()
        await repo.rekey(session, telegram_id, pseudonym)
        if volunteer is not None:
            volunteer.telegram_id = pseudonym
        volunteers_repo.add_entry(
            session, pseudonym, "pseudonymised", {"removed": list(_PERSONAL_FIELDS)}, now
        )
    if elsewhere is not None:
        await elsewhere.erase(telegram_id)
    await session.commit()
    return Forgotten(in_register=in_register, approved_reports=approved)


async def _new_pseudonym(session: AsyncSession) -> int:
    """A random negative id: Telegram ids are positive, so it can never be a person's."""
    while True:
        pseudonym = -secrets.randbelow(2**62) - 1
        if not await repo.pseudonym_taken(session, pseudonym):
            return pseudonym


@dataclass(frozen=True)
class Summary:
    """What /mydata's file holds, counted, for the sentence-by-sentence summary."""

    first_seen: date | None
    registered_on: date | None
    upcoming_shifts: int
    year: int
    approved_minutes: int  # in `year`
    pending_reports: int
    projects: int
    greenways: int
    events: int
    certificates: int
    replies_to_tutors: int
    messages: int
    conversations: int
    removed_from_staff_on: date | None
    # (role, its scopes: a tutor's project codes, an office's, Consulta's or desk's code)
    staff_roles: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def empty(self) -> bool:
        return (
            self.first_seen is None
            and self.registered_on is None
            and not any(
                (
                    self.messages,
                    self.replies_to_tutors,
                    self.conversations,
                    self.removed_from_staff_on,
                    self.staff_roles,
                )
            )
        )


def _local_day(value: str | None, zone: ZoneInfo) -> date | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(zone).date()


def summarise(document: dict[str, Any], now: datetime, zone: ZoneInfo) -> Summary:
    """The counts a person reads first, from the very document /mydata attaches."""
    profile = document["profile"] or {}
    register = document["volunteer_register"] or {}
    year = now.astimezone(zone).year
    held = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)
    reports = document["hour_reports"]
    return Summary(
        first_seen=_local_day(profile.get("first_seen"), zone),
        registered_on=_local_day(register.get("registered_at"), zone),
        upcoming_shifts=sum(
            1
            for place in document["places"]
            if place["status"] in held and datetime.fromisoformat(place["start"]) > now
        ),
        year=year,
        approved_minutes=sum(
            report["minutes"]
            for report in reports
            if report["status"] == HourReportStatus.APPROVED
            and date.fromisoformat(report["date"]).year == year
        ),
        pending_reports=sum(1 for r in reports if r["status"] == HourReportStatus.PENDING),
        # A project is one's own whether a tutor added them or they took one of its shifts.
        projects=len(
            {joined["project"] for joined in document["projects_joined"]}
            | {place["project"] for place in document["places"]}
        ),
        greenways=len(document["greenway_subscriptions"]),
        events=len(document["event_rsvps"]),
        certificates=len(document["certificates"]),
        replies_to_tutors=len(document["replies_to_tutors"]),
        messages=len(document["deliveries"]),
        conversations=len(document["conversation_state"]),
        removed_from_staff_on=_local_day(document["removed_from_staff_at"], zone),
        staff_roles=_staff_roles(document.get("staff_roles", [])),
    )


def _staff_roles(held: list[dict[str, Any]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """One entry per role; an office, Consulta or desk held under several codes is one."""
    roles: dict[str, list[str]] = {}
    for entry in held:
        roles.setdefault(entry["role"], []).extend(code for code in entry["scopes"] if code)
    return tuple((role, tuple(sorted(codes))) for role, codes in roles.items())
