"""Volunteer hours: reports awaiting or past a tutor's decision, and issued certificates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType, StrEnumText


class HourReportStatus(StrEnum):
    PENDING = "pending"  # awaiting a tutor's decision
    APPROVED = "approved"
    REJECTED = "rejected"


class HourReport(Base):
    """Hours a volunteer says they gave to a project on one day, until a tutor decides.

    `work_date` is the local date in BOT_TIMEZONE. A report matching one of the volunteer's
    shifts links to it.
    """

    __tablename__ = "hour_reports"
    __table_args__ = (
        Index("ix_hour_reports_volunteer_day", "telegram_id", "work_date"),
        Index("ix_hour_reports_project_status", "project_id", "status"),
        Index("ix_hour_reports_day_status", "work_date", "status"),
        # Covers the programme's figures (approved hours of a period by project and
        # volunteer), so they are read from the index alone.
        Index(
            "ix_hour_reports_figures", "status", "work_date", "project_id", "telegram_id", "minutes"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), index=True
    )
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[HourReportStatus] = mapped_column(StrEnumText(HourReportStatus, 16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)


class HourCertificate(Base):
    """A certificate of approved hours as issued, found again by its verification code.

    What it stated is kept as issued, so `quartiere-bot verify` confirms the document
    even after later reports change the totals.
    """

    __tablename__ = "hour_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    # [{"code": ..., "title": {...}, "minutes": ...}] per project, as printed.
    projects: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    locale: Mapped[str] = mapped_column(String(8))
    issued_at: Mapped[datetime]
