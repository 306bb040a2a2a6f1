"""People who use the bot, staff roles, and where each is in a conversation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType, StrEnumText


class User(Base):
    """Someone who has written to the bot; keyed by their Telegram id."""

    __tablename__ = "users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chosen_locale: Mapped[str | None] = mapped_column(String(8))
    telegram_locale: Mapped[str | None] = mapped_column(String(16))
    home_quartiere_id: Mapped[int | None] = mapped_column(
        ForeignKey("quartieri.id", ondelete="SET NULL")
    )
    # When the bot asked once for the home quartiere (answered, skipped or ignored: never again).
    quartiere_asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # Set when Telegram says the user blocked the bot; cleared when they write again.
    unreachable_at: Mapped[datetime | None]
    # When the bot last answered in this chat (real time): the outbox waits PER_CHAT_INTERVAL.
    last_reply_at: Mapped[datetime | None]
    # Telegram first name, to show a tutor's name on project cards.
    display_name: Mapped[str | None] = mapped_column(String(100))
    # Which of REMINDER_OFFSETS the user wants, in seconds; None means all of them.
    reminder_offsets: Mapped[list[int] | None] = mapped_column(JsonType)
    # The Monday digest of the week's greenway events.
    events_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Subscribed to every greenway, including ones added later.
    all_greenways: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Non-urgent announcements are not delivered to this user.
    mute_announcements: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StaffRole(StrEnum):
    TUTOR = "tutor"  # reviews the hours and keeps the roster of their projects
    ADMIN = "admin"  # everything a tutor does, for every project, and the announcements
    # Scoped by a code kept as given: the catalog has no offices, Consulte or desks yet.
    OFFICE = "office"  # a member of a city office (scope: the office's code)
    SECRETARY = "secretary"  # a Consulta's secretary (scope: the Consulta's code)
    DESK = "desk"  # a hub desk operator (scope: the desk's code)


class Staff(Base):
    """One role a person holds, appointed with `quartiere-bot staff` or the catalog.

    A person holds several roles with one row each; `scope` is the office, Consulta or
    desk code of the roles that have one, empty for tutors (their projects are in
    `project_tutors`) and admins.
    """

    __tablename__ = "staff"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[StaffRole] = mapped_column(StrEnumText(StaffRole, 16), primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), primary_key=True, default="", server_default="")
    created_at: Mapped[datetime]


class StaffRemoval(Base):
    """Someone removed with `quartiere-bot staff remove`: a catalog's `tutors:` never
    appoints them again; a later `staff add` deletes the row. Kept as long as the audit log."""

    __tablename__ = "staff_removals"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    removed_at: Mapped[datetime]


class ProjectTutor(Base):
    __tablename__ = "project_tutors"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class ConversationState(Base):
    """A user's place in a conversation, so that a restart continues it."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    updated_at: Mapped[datetime]
