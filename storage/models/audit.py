"""The audit log: every staff action and every read of personal data by staff, as it happened."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType


class AuditEntry(Base):
    """Who did what to which object, and when; written in the action's own transaction.

    `actor` is a Telegram id, or None for the command line (shown as `cli`); `subject` is
    the Telegram id of the person the entry is about, if any, so that forgetting a person
    finds their entries by equality, never by matching text.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_subject", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(48))
    # e.g. "hour_report:12", "shift:3 volunteer:42", "announcement:7"
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    subject: Mapped[int | None] = mapped_column(BigInteger)
