"""Everything stored about one person, for /mydata, /forget and the retention job."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEntry,
    ConversationState,
    Delivery,
    DeliveryStatus,
    Event,
    EventRsvp,
    Greenway,
    GreenwaySubscription,
    HourCertificate,
    HourReport,
    HourReportStatus,
    Project,
    ProjectMember,
    ProjectTutor,
    RegisterEntry,
    Shift,
    Signup,
    SignupStatus,
    Staff,
    StaffRemoval,
    StaffRole,
    User,
    Volunteer,
)
from storage.repositories import announcements

KEPT_SIGNUPS = (SignupStatus.ATTENDED, SignupStatus.NO_SHOW)  # attendance is part of the register


def _conversation_keys(telegram_id: int) -> Any:
    # Keys are "fsm:BOT:CHAT:USER:destiny"; in a private chat CHAT is the user too.
    return ConversationState.key.like(f"%:{telegram_id}:%")


async def profile(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.get(User, telegram_id)


async def volunteer(session: AsyncSession, telegram_id: int) -> Volunteer | None:
    return await session.get(Volunteer, telegram_id)


async def is_staff(session: AsyncSession, telegram_id: int) -> bool:
    found = await session.scalar(
        select(Staff.telegram_id).where(Staff.telegram_id == telegram_id).limit(1)
    )
    return found is not None


async def register_entries(session: AsyncSession, telegram_id: int) -> list[RegisterEntry]:
    rows = await session.scalars(
        select(RegisterEntry)
        .where(RegisterEntry.telegram_id == telegram_id)
        .order_by(RegisterEntry.recorded_at, RegisterEntry.id)
    )
    return list(rows)


async def places(session: AsyncSession, telegram_id: int) -> list[tuple[Signup, Shift, Project]]:
    rows = await session.execute(
        select(Signup, Shift, Project)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(Signup.telegram_id == telegram_id)
        .order_by(Shift.start_at)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def memberships(session: AsyncSession, telegram_id: int) -> list[tuple[ProjectMember, str]]:
    rows = await session.execute(
        select(ProjectMember, Project.code)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(ProjectMember.telegram_id == telegram_id)
    )
    return [(row[0], row[1]) for row in rows]


async def hour_reports(session: AsyncSession, telegram_id: int) -> list[tuple[HourReport, str]]:
    rows = await session.execute(
        select(HourReport, Project.code)
        .join(Project, Project.id == HourReport.project_id)
        .where(HourReport.telegram_id == telegram_id)
        .order_by(HourReport.work_date, HourReport.id)
    )
    return [(row[0], row[1]) for row in rows]


async def certificates(session: AsyncSession, telegram_id: int) -> list[HourCertificate]:
    rows = await session.scalars(
        select(HourCertificate)
        .where(HourCertificate.telegram_id == telegram_id)
        .order_by(HourCertificate.issued_at)
    )
    return list(rows)


async def rsvps(session: AsyncSession, telegram_id: int) -> list[tuple[EventRsvp, str]]:
    rows = await session.execute(
        select(EventRsvp, Event.code)
        .join(Event, Event.id == EventRsvp.event_id)
        .where(EventRsvp.telegram_id == telegram_id)
    )
    return [(row[0], row[1]) for row in rows]


async def subscriptions(
    session: AsyncSession, telegram_id: int
) -> list[tuple[GreenwaySubscription, str]]:
    rows = await session.execute(
        select(GreenwaySubscription, Greenway.code)
        .join(Greenway, Greenway.id == GreenwaySubscription.greenway_id)
        .where(GreenwaySubscription.telegram_id == telegram_id)
    )
    return [(row[0], row[1]) for row in rows]


async def deliveries(session: AsyncSession, telegram_id: int) -> list[Delivery]:
    rows = await session.scalars(
        select(Delivery).where(Delivery.recipient_id == telegram_id).order_by(Delivery.id)
    )
    return list(rows)


async def deliveries_with_key_like(
    session: AsyncSession, message_key: str, pattern: str
) -> list[Delivery]:
    """Deliveries of one message whose de-duplication key matches a LIKE `pattern`."""
    rows = await session.scalars(
        select(Delivery)
        .where(Delivery.message_key == message_key, Delivery.dedup_key.like(pattern))
        .order_by(Delivery.id)
    )
    return list(rows)


async def delete_deliveries(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(
            delete(Delivery)
            .where(Delivery.id.in_(ids))
            .execution_options(synchronize_session=False)
        )


async def conversations(session: AsyncSession, telegram_id: int) -> list[ConversationState]:
    rows = await session.scalars(select(ConversationState).where(_conversation_keys(telegram_id)))
    return list(rows)


async def erase_contact_data(
    session: AsyncSession,
    telegram_id: int,
    report_notices: Callable[[int], Sequence[str]],
) -> None:
    """What is not part of the register: profile, choices, notices, conversations.

    `report_notices` gives the key prefixes of the tutors' notices about one report.
    """
    report_ids = list(
        await session.scalars(select(HourReport.id).where(HourReport.telegram_id == telegram_id))
    )
    # The tutors' notices of these reports carry the volunteer's name.
    for report_id in report_ids:
        await session.execute(
            delete(Delivery)
            .where(
                or_(
                    *(
                        Delivery.dedup_key.startswith(prefix, autoescape=True)
                        for prefix in report_notices(report_id)
                    )
                )
            )
            .execution_options(synchronize_session=False)
        )
    await announcements.keep_totals(session, Delivery.recipient_id == telegram_id)
    for statement in (
        delete(GreenwaySubscription).where(GreenwaySubscription.telegram_id == telegram_id),
        delete(EventRsvp).where(EventRsvp.telegram_id == telegram_id),
        delete(Delivery).where(Delivery.recipient_id == telegram_id),
        delete(ConversationState).where(_conversation_keys(telegram_id)),
        delete(HourCertificate).where(HourCertificate.telegram_id == telegram_id),
        delete(HourReport).where(
            HourReport.telegram_id == telegram_id, HourReport.status != HourReportStatus.APPROVED
        ),
        delete(Signup).where(Signup.telegram_id == telegram_id, Signup.status.not_in(KEPT_SIGNUPS)),
        delete(User).where(User.telegram_id == telegram_id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))


async def rekey(session: AsyncSession, telegram_id: int, pseudonym: int) -> None:
    """Moves what the register keeps (and approved hours, for the figures) to the pseudonym."""
    for model in (RegisterEntry, HourReport, Signup, ProjectMember):
        await session.execute(
            update(model)
            .where(model.telegram_id == telegram_id)
            .values(telegram_id=pseudonym)
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        update(HourReport)
        .where(HourReport.telegram_id == pseudonym)
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.subject == telegram_id)
        .values(
            subject=pseudonym,
            target=func.replace(AuditEntry.target, f"user:{telegram_id}", f"user:{pseudonym}"),
        )
        .execution_options(synchronize_session=False)
    )


async def pseudonym_taken(session: AsyncSession, pseudonym: int) -> bool:
    return await session.get(Volunteer, pseudonym) is not None


# Retention


# Deliveries whose story is over: only these age out; pending and claimed ones stay.
FINISHED_DELIVERIES = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.SKIPPED,
    DeliveryStatus.CANCELLED,
)


async def delete_old_deliveries(session: AsyncSession, before: datetime) -> int:
    expired = and_(Delivery.status.in_(FINISHED_DELIVERIES), Delivery.created_at < before)
    await announcements.keep_totals(session, expired)
    result = await session.execute(
        delete(Delivery).where(expired).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_stale_conversations(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(ConversationState)
        .where(ConversationState.updated_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def inactive_users(session: AsyncSession, before: datetime) -> list[int]:
    """Users not seen since `before` who are not in the register and not staff."""
    in_register = select(RegisterEntry.telegram_id).where(
        RegisterEntry.telegram_id == User.telegram_id
    )
    staff = select(Staff.telegram_id).where(Staff.telegram_id == User.telegram_id)
    rows = await session.scalars(
        select(User.telegram_id).where(
            User.last_seen_at < before,
            ~in_register.exists(),
            ~staff.exists(),
            ~select(Volunteer.telegram_id)
            .where(Volunteer.telegram_id == User.telegram_id)
            .exists(),
        )
    )
    return list(rows)


async def delete_old_audit(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(AuditEntry)
        .where(AuditEntry.at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delete_old_staff_removals(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(StaffRemoval)
        .where(StaffRemoval.removed_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def staff_roles(session: AsyncSession, telegram_id: int) -> list[tuple[Staff, list[str]]]:
    """The staff roles the person holds, a tutor's with the codes of their projects."""
    held = await session.scalars(
        select(Staff).where(Staff.telegram_id == telegram_id).order_by(Staff.role, Staff.scope)
    )
    codes = list(
        await session.scalars(
            select(Project.code)
            .join(ProjectTutor, ProjectTutor.project_id == Project.id)
            .where(ProjectTutor.telegram_id == telegram_id)
            .order_by(Project.code)
        )
    )
    return [(member, codes if member.role is StaffRole.TUTOR else []) for member in held]


async def staff_removal(session: AsyncSession, telegram_id: int) -> StaffRemoval | None:
    return await session.get(StaffRemoval, telegram_id)
