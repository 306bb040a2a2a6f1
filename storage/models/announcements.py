"""Staff announcements: what was said, to whom, and the admin's progress message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import JsonType, Translations


class Announcement(Base):
    """A message from the staff to an audience, frozen into one delivery per recipient.

    `text` is Telegram HTML (the caption when there is a photo); `versions` holds the
    optional texts per language, used instead of `text` for recipients of that language.
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique across databases, so a process never mistakes one announcement for another.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)  # None: the command line
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    versions: Mapped[Translations] = mapped_column(JsonType, default=dict)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    audience: Mapped[str] = mapped_column(Text)  # e.g. "quartiere:ospizio,volunteers"
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    send_at: Mapped[datetime]
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None]
    # Where the admin follows the progress; the final report is sent once, then noted here.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    reported_at: Mapped[datetime | None]
    # Deliveries of it since erased (a recipient's /forget, retention), counted by status
    # when erased, so its totals stay as they were: "sent" stays sent.
    erased_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    erased_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    erased_skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    erased_cancelled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
