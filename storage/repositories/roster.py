"""Who is on a shift, for its tutors: places, people and their register state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Signup, SignupStatus, Volunteer


async def people_on_shift(
    session: AsyncSession, shift_id: int
) -> list[tuple[Signup, Volunteer | None]]:
    rows = await session.execute(
        select(Signup, Volunteer)
        .outerjoin(Volunteer, Volunteer.telegram_id == Signup.telegram_id)
        .where(Signup.shift_id == shift_id, Signup.status != SignupStatus.CANCELLED)
        .order_by(Signup.queued_at, Signup.id)
    )
    return [(row[0], row[1]) for row in rows]
