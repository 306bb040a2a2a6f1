"""Certificates of approved volunteer hours, issued with a code anyone can have checked.

What a certificate states is saved as issued, so `quartiere-bot verify CODE` confirms the
document itself even after later decisions change the volunteer's totals.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.file_names import surname
from bot.i18n import pick
from bot.services.figures.periods import Period, period_dates
from storage.models import HourCertificate
from storage.repositories import certificates as repo
from storage.repositories import volunteers as volunteers_repo

# No 0/O, 1/I/L or 5/S: a code read aloud or copied by hand comes out the same.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_GROUPS = (5, 5)
_NOT_CODE = re.compile(r"[^A-Z0-9]")
# What `/start` carries from the QR code: Telegram's deep links allow letters, digits, _ and -.
START_PREFIX = "verify-"


class Refusal(StrEnum):
    NOT_REGISTERED = "not_registered"
    NOTHING_TO_CERTIFY = "nothing_to_certify"


class CertificateError(ValueError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class CertifiedProject:
    code: str
    title: str
    minutes: int


@dataclass(frozen=True)
class Certificate:
    code: str
    telegram_id: int
    full_name: str
    period_from: date
    period_to: date
    minutes: int
    projects: tuple[CertifiedProject, ...]
    locale: str
    issued_at: datetime


def new_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(n)) for n in CODE_GROUPS)
    return "-".join(groups)


def normalise_code(text: str) -> str:
    """The stored form of a code however it was typed: case, spaces and dashes ignored."""
    letters = _NOT_CODE.sub("", text.upper())
    parts, start = [], 0
    for size in CODE_GROUPS:
        parts.append(letters[start : start + size])
        start += size
    return "-".join(parts) if start == len(letters) else letters


def verification_link(bot_username: str, code: str) -> str:
    """The link the QR code holds: it opens the bot, which answers as to `/verify CODE`."""
    return f"https://t.me/{bot_username}?start={START_PREFIX}{code}"


def file_name(certificate: Certificate, stem: str) -> str:
    """`attestato-ore-2026-bianchi.pdf`: the translated stem, the year(s) and the surname."""
    first, last = certificate.period_from.year, certificate.period_to.year
    years = str(last) if first == last else f"{first}-{last}"
    name = surname(certificate.full_name)
    return f"{stem}-{years}-{name}.pdf" if name else f"{stem}-{years}.pdf"


async def issue_certificate(
    session: AsyncSession,
    telegram_id: int,
    period: Period,
    locale: str,
    default_locale: str,
    now: datetime,
    zone: ZoneInfo,
) -> Certificate:
    """Saves and returns the certificate of the volunteer's approved hours in the period."""
    volunteer = await volunteers_repo.get_volunteer(session, telegram_id)
    if volunteer is None:
        raise CertificateError(Refusal.NOT_REGISTERED)
    today = now.astimezone(zone).date()
    first_day = await repo.first_approved_day(session, telegram_id)
    if first_day is None:
        raise CertificateError(Refusal.NOTHING_TO_CERTIFY)
    date_from, date_to = period_dates(period, today, first_day)
    rows = await repo.approved_by_project(session, telegram_id, date_from, date_to)
    if not rows:
        raise CertificateError(Refusal.NOTHING_TO_CERTIFY)
    projects = tuple(
        CertifiedProject(code, pick(title, locale, default_locale), minutes)
        for code, title, minutes in rows
    )
    code = await _unused_code(session)
    certificate = Certificate(
        code=code,
        telegram_id=telegram_id,
        full_name=volunteer.full_name,
        period_from=date_from,
        period_to=date_to,
        minutes=sum(project.minutes for project in projects),
        projects=projects,
        locale=locale,
        issued_at=now,
    )
    repo.add_certificate(session, _row(certificate))
    await session.commit()
    return certificate


async def _unused_code(session: AsyncSession) -> str:
    # 29^10 codes: a clash is all but impossible, and the unique index catches the rest.
    while True:
        code = new_code()
        if await repo.by_code(session, code) is None:
            return code


def _row(certificate: Certificate) -> HourCertificate:
    return HourCertificate(
        code=certificate.code,
        telegram_id=certificate.telegram_id,
        full_name=certificate.full_name,
        period_from=certificate.period_from,
        period_to=certificate.period_to,
        minutes=certificate.minutes,
        projects=[
            {"code": p.code, "title": p.title, "minutes": p.minutes} for p in certificate.projects
        ],
        locale=certificate.locale,
        issued_at=certificate.issued_at,
    )


async def find_certificate(session: AsyncSession, code: str) -> Certificate | None:
    """The certificate as issued, or None for a code never issued (or too long to be one)."""
    if len(code) > 64:
        return None
    row = await repo.by_code(session, normalise_code(code))
    if row is None:
        return None
    return Certificate(
        code=row.code,
        telegram_id=row.telegram_id,
        full_name=row.full_name,
        period_from=row.period_from,
        period_to=row.period_to,
        minutes=row.minutes,
        projects=tuple(
            CertifiedProject(str(p["code"]), str(p["title"]), int(p["minutes"]))
            for p in row.projects
        ),
        locale=row.locale,
        issued_at=row.issued_at,
    )
