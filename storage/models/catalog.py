"""The catalog: quartieri, services, hubs, projects and their shifts, greenways and events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base
from storage.types import JsonType, Translations


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
    # Raised by every change (Mini App save, import): a form saves only over its own version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    services: Mapped[list[Service]] = relationship(secondary="hub_services", lazy="selectin")


class HubClosure(Base):
    """Days a hub is closed outside its opening hours (holidays, works), both days included."""

    __tablename__ = "hub_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[Translations | None] = mapped_column(JsonType)


class Project(Base):
    """A civic volunteering project, supervised by its tutors."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[Translations] = mapped_column(JsonType)
    description: Mapped[Translations] = mapped_column(JsonType)
    theme: Mapped[str] = mapped_column(String(64))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="SET NULL"))
    # Raised by every change (Mini App save, import): a form saves only over its own version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


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
    # Raised by every change (Mini App save or import): a form saved on an older one is stale.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
