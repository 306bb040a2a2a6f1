"""The audit log's rows: added in the caller's transaction, read back in time order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


def add_entry(
    session: AsyncSession,
    *,
    at: datetime,
    actor: int | None,
    action: str,
    target: str,
    subject: int | None,
    details: dict[str, Any],
) -> None:
    session.add(
        AuditEntry(
            at=at, actor=actor, action=action, target=target, subject=subject, details=details
        )
    )


async def entries_since(session: AsyncSession, since: datetime) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.at >= since).order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(rows)
