"""Timed notices of a place on a shift: putting a withdrawn one back, moving a pending one.

A delivery's de-duplication key stays taken by a cancelled row, so a notice planned again
with the same key (a place given up and taken again, a reminder switched off and on) revives
that row instead of adding one; a notice withdrawn for another reason stays withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, DeliveryStatus


async def revive_withdrawn(
    session: AsyncSession,
    dedup_key: str,
    *,
    reasons: Sequence[str],
    due_at: datetime | None = None,
    params: dict[str, Any] | None = None,
) -> bool:
    """Makes a delivery withdrawn for one of `reasons` pending again, at `due_at` with
    `params` when given (else as it was); True when there was one."""
    values: dict[str, Any] = {
        "status": DeliveryStatus.PENDING,
        "withdrawn_reason": None,
        "claimed_at": None,
    }
    if due_at is not None:
        values["due_at"] = due_at
    if params is not None:
        values["params"] = params
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.dedup_key == dedup_key,
            Delivery.status == DeliveryStatus.CANCELLED,
            Delivery.withdrawn_reason.in_(reasons),
        )
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reschedule_pending(
    session: AsyncSession, dedup_key: str, *, due_at: datetime, params: dict[str, Any]
) -> bool:
    """Moves a delivery not yet sent to a new time; True when there was one."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.dedup_key == dedup_key, Delivery.status == DeliveryStatus.PENDING)
        .values(due_at=due_at, params=params)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
