"""The volunteer register, places on shifts and project membership."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType, StrEnumText


class Volunteer(Base):
    """The current state of a person in the volunteer register (derived from its entries)."""

    __tablename__ = "volunteers"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(32))
    resident: Mapped[bool] = mapped_column(Boolean)
    registered_at: Mapped[datetime]
    consent_at: Mapped[datetime]
    identity_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_guardian: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_medical: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class RegisterEntry(Base):
    """One dated line of the volunteer register; never changed once written."""

    __tablename__ = "register_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    recorded_at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"  # holds a place
    WAITLISTED = "waitlisted"  # holds a position on the waitlist
    CANCELLED = "cancelled"  # given up by the volunteer
    WITHDRAWN = "withdrawn"  # taken back because the shift itself was cancelled
    ATTENDED = "attended"  # marked present by a tutor
    NO_SHOW = "no_show"  # marked absent by a tutor


class Signup(Base):
    """A volunteer's place on a shift: confirmed, on the waitlist, or no longer held."""

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("shift_id", "telegram_id"),
        Index("ix_signups_shift_status", "shift_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[SignupStatus] = mapped_column(StrEnumText(SignupStatus, 16))
    # Waitlist order: first come, first served.
    queued_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ProjectMember(Base):
    """A volunteer added to a project by one of its tutors."""

    __tablename__ = "project_members"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime]
