"""Forgetting a person re-keys the audit entries about them, and only theirs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.people import audit, privacy
from storage.models import AuditEntry
from tests.support.fixtures import TEST_NOW
from tests.support.people import volunteer

FORGOTTEN, NEIGHBOUR = 123456789, 1234567890  # one id is the start of the other


async def _entries(session: AsyncSession) -> list[tuple[int | None, str]]:
    rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(entry.subject, entry.target) for entry in rows]


async def test_forgetting_a_person_leaves_the_audit_entries_of_a_longer_id_alone(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        for person in (FORGOTTEN, NEIGHBOUR):
            session.add(volunteer(person, "Someone", verified=True, registered_at=TEST_NOW))
            target = f"shift:3 user:{person}"
            audit.record(session, 7, "roster.attendance_present", target, TEST_NOW, subject=person)
        await session.commit()
        await privacy.forget(session, FORGOTTEN, TEST_NOW, "Europe/Rome")
        [(pseudonym, forgotten), neighbour] = await _entries(session)
    assert neighbour == (NEIGHBOUR, f"shift:3 user:{NEIGHBOUR}")
    assert pseudonym is not None and pseudonym < 0
    assert forgotten == f"shift:3 user:{pseudonym}"
