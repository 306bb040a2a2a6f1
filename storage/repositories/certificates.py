"""Hours certificates: a volunteer's approved hours per project, and issued certificates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HourCertificate, HourReport, HourReportStatus, Project
from storage.types import Translations


async def approved_by_project(
    session: AsyncSession, telegram_id: int, date_from: date, date_to: date
) -> list[tuple[str, Translations, int]]:
    """(code, title, minutes) of each project with the volunteer's approved hours, by code."""
    per_project = (
        select(HourReport.project_id, func.sum(HourReport.minutes).label("minutes"))
        .where(
            HourReport.telegram_id == telegram_id,
            HourReport.status == HourReportStatus.APPROVED,
            HourReport.work_date >= date_from,
            HourReport.work_date <= date_to,
        )
        .group_by(HourReport.project_id)
        .subquery()
    )
    rows = await session.execute(
        select(Project.code, Project.title, per_project.c.minutes)
        .join(per_project, per_project.c.project_id == Project.id)
        .order_by(Project.code)
    )
    return [(code, title, int(total)) for code, title, total in rows]


async def first_approved_day(session: AsyncSession, telegram_id: int) -> date | None:
    return await session.scalar(
        select(func.min(HourReport.work_date)).where(
            HourReport.telegram_id == telegram_id, HourReport.status == HourReportStatus.APPROVED
        )
    )


async def by_code(session: AsyncSession, code: str) -> HourCertificate | None:
    return await session.scalar(select(HourCertificate).where(HourCertificate.code == code))


def add_certificate(session: AsyncSession, certificate: HourCertificate) -> None:
    session.add(certificate)
