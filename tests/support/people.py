"""People written straight through storage."""

from __future__ import annotations

from datetime import date, datetime

from storage.models import Volunteer


def volunteer(
    telegram_id: int, full_name: str, *, verified: bool, registered_at: datetime
) -> Volunteer:
    return Volunteer(
        telegram_id=telegram_id,
        full_name=full_name,
        birth_date=date(1990, 5, 17),
        phone="+39 333 0000000",
        resident=True,
        registered_at=registered_at,
        consent_at=registered_at,
        identity_verified=verified,
        needs_guardian=False,
        guardian_confirmed=False,
        needs_medical=False,
        medical_cleared=False,
    )
