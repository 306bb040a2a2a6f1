"""The outbox: every message the bot sends on its own initiative."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType


class DeliveryStatus(StrEnum):
    """Where a delivery stands; `sending` is claimed by a sender, `cancelled` withdrawn."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Delivery(Base):
    """A message the bot sends on its own initiative, queued in the outbox.

    What to say is a message key and its parameters, rendered in the recipient's language
    when it is sent; the de-duplication key makes the same notice impossible to queue twice.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "due_at"),
        Index("ix_deliveries_announcement", "announcement_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer)  # 0 is the most urgent
    message_key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JsonType)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # a DeliveryStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Why a `cancelled` delivery was withdrawn; a notice planned again revives it by reason.
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]  # when claimed, then each renewal by its sender
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the sender: host:pid:start
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    # The staff announcement this delivery is part of, so its progress is counted in SQL.
    announcement_id: Mapped[int | None] = mapped_column(Integer)
