"""The retention job: removes what has outlived its retention period (stated in /privacy).

Run daily by the scheduler; each period here is the one the privacy notice and the
README state, so change them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.hours import SUBMITTED
from bot.services.people.privacy import erase_replies_to_tutors
from storage.repositories import privacy as repo

# Messages sent (or given up) on the bot's initiative, and volunteers' replies passed on to tutors.
DELIVERIES = timedelta(days=30)
CONVERSATIONS = timedelta(days=30)  # an unfinished conversation's state
INACTIVE_USERS = timedelta(days=730)  # profiles not in the register and not staff
AUDIT_LOG = timedelta(days=5 * 365)  # the record of staff actions, and of staff removals


@dataclass(frozen=True)
class Purged:
    deliveries: int
    conversations: int
    users: int
    audit_entries: int


async def purge_expired(session: AsyncSession, now: datetime) -> Purged:
    """Deletes what is past its period and commits; returns how much of each went."""
    deliveries = await repo.delete_old_deliveries(session, now - DELIVERIES)
    conversations = await repo.delete_stale_conversations(session, now - CONVERSATIONS)
    users = await repo.inactive_users(session, now - INACTIVE_USERS)
    for telegram_id in users:
        await repo.erase_contact_data(session, telegram_id, SUBMITTED.family)
        await erase_replies_to_tutors(session, telegram_id)
    audit_entries = await repo.delete_old_audit(session, now - AUDIT_LOG)
    # The removal is a staff action: its record lasts as long as the audit entry about it.
    await repo.delete_old_staff_removals(session, now - AUDIT_LOG)
    await session.commit()
    return Purged(deliveries, conversations, len(users), audit_entries)
