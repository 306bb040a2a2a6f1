"""The audit log of staff actions: recorded with the action, read by `quartiere-bot audit`.

`record` only adds the entry to the session: the action's own commit writes both, so an
action is never logged without happening, nor happens unlogged. Entries name people by
Telegram id only, never by name or phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories import audit as repo

CLI = "cli"  # the actor shown for the command line (an operator at the server)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    target: str

    def render(self, zone: tzinfo) -> str:
        return (
            f"{self.at.astimezone(zone).isoformat(timespec='seconds')} "
            f"{self.actor} {self.action} {self.target}"
        )


def record(
    session: AsyncSession,
    actor: int | None,
    action: str,
    target: str,
    now: datetime,
    *,
    subject: int | None = None,
    **details: Any,
) -> None:
    """Adds the entry to the caller's transaction; `actor` None is the command line.

    `subject` is the person the entry is about (their Telegram id), when there is one.
    """
    repo.add_entry(
        session,
        at=now,
        actor=actor,
        action=action,
        target=target,
        subject=subject,
        details=details,
    )


async def record_read(
    session: AsyncSession, actor: int | None, action: str, target: str, now: datetime
) -> None:
    """Records that staff read personal data or figures; committed on its own."""
    record(session, actor, action, target, now)
    await session.commit()


async def lines_since(session: AsyncSession, since: datetime) -> list[AuditLine]:
    return [
        AuditLine(
            entry.at,
            CLI if entry.actor is None else str(entry.actor),
            entry.action,
            entry.target,
        )
        for entry in await repo.entries_since(session, since)
    ]
