"""The database schema as typed SQLAlchemy 2 models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import JsonType, Translations, UTCDateTime

# Explicit constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JsonType,
    }


class User(Base):
    """Someone who has written to the bot; keyed by their Telegram id."""

    __tablename__ = "users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chosen_locale: Mapped[str | None] = mapped_column(String(8))
    telegram_locale: Mapped[str | None] = mapped_column(String(16))
    home_quartiere_id: Mapped[int | None] = mapped_column(
        ForeignKey("quartieri.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # Set when Telegram says the user blocked the bot; cleared when they write again.
    unreachable_at: Mapped[datetime | None]
    # Telegram first name, to show a tutor's name on project cards.
    display_name: Mapped[str | None] = mapped_column(String(100))


class Staff(Base):
    """A tutor or an admin appointed with `quartiere-bot staff` or the catalog."""

    __tablename__ = "staff"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class ProjectTutor(Base):
    __tablename__ = "project_tutors"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class Quartiere(Base):
    """A neighbourhood, to choose without sharing a location."""

    __tablename__ = "quartieri"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    consulta: Mapped[str | None] = mapped_column(String(16))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Service(Base):
    """Something a hub offers: social concierge, parcel pick-up, digital help..."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Translations] = mapped_column(JsonType)


class HubService(Base):
    __tablename__ = "hub_services"

    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )


class Hub(Base):
    """A Casa di quartiere or another community hub."""

    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    quartiere: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    opening_hours: Mapped[str] = mapped_column(Text)
    services: Mapped[list[Service]] = relationship(secondary="hub_services", lazy="selectin")


class Project(Base):
    """A civic volunteering project, supervised by its tutors."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[Translations] = mapped_column(JsonType)
    description: Mapped[Translations] = mapped_column(JsonType)
    theme: Mapped[str] = mapped_column(String(64))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"))


class Shift(Base):
    """A time slot of a project with a number of places."""

    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("project_id", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    place: Mapped[Translations | None] = mapped_column(JsonType)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class Greenway(Base):
    __tablename__ = "greenways"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Translations] = mapped_column(JsonType)
    description: Mapped[Translations] = mapped_column(JsonType)


class Event(Base):
    """A walk or another event along a greenway."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    greenway_id: Mapped[int] = mapped_column(ForeignKey("greenways.id", ondelete="CASCADE"))
    title: Mapped[Translations] = mapped_column(JsonType)
    description: Mapped[Translations] = mapped_column(JsonType)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    place: Mapped[Translations | None] = mapped_column(JsonType)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class ConversationState(Base):
    """A user's place in a conversation, so that a restart continues it."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    updated_at: Mapped[datetime]


class Delivery(Base):
    """A message the bot sends on its own initiative, queued in the outbox.

    What to say is a message key and its parameters, rendered in the recipient's language
    when it is sent; the de-duplication key makes the same notice impossible to queue twice.
    """

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer)  # 0 is the most urgent
    message_key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JsonType)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # host:pid of the sender
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


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
    status: Mapped[str] = mapped_column(String(16))
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
