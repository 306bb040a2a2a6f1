"""Following greenways: subscriptions to a greenway's events, and who said they will come."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class GreenwaySubscription(Base):
    """A user told of new events on one greenway (every greenway: `User.all_greenways`)."""

    __tablename__ = "greenway_subscriptions"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    greenway_id: Mapped[int] = mapped_column(
        ForeignKey("greenways.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]


class EventRsvp(Base):
    """A user who said they will come to an event: reminded, and told of changes."""

    __tablename__ = "event_rsvps"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, index=True
    )
    created_at: Mapped[datetime]
