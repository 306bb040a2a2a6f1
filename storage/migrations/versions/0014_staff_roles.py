"""staff roles a person holds together

Revision ID: 0014
Revises: 0013

One row per (person, role, scope) instead of one row per person. The staff table is
small (tens of rows), so its rows are read, the table rebuilt with the new primary key
and the rows written back: the same steps on SQLite and PostgreSQL.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rows(query: str) -> list[Any]:
    return list(op.get_bind().execute(sa.text(query)))


def _create(primary_key: tuple[str, ...], scope: bool) -> sa.TableClause:
    columns: list[sa.Column[Any]] = [
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
    ]
    if scope:
        columns.append(sa.Column("scope", sa.String(length=64), server_default="", nullable=False))
    columns.append(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_table("staff", *columns, sa.PrimaryKeyConstraint(*primary_key, name=op.f("pk_staff")))
    # Untyped columns: the values go back exactly as they were read (SQLite's text times too).
    return sa.table("staff", *(sa.column(column.name) for column in columns))


def upgrade() -> None:
    staff = _rows("SELECT telegram_id, role, created_at FROM staff")
    # An admin listed as a tutor of projects keeps those tutorships as a tutor role of its own.
    tutoring = {row[0] for row in _rows("SELECT DISTINCT telegram_id FROM project_tutors")}
    rows = [
        {"telegram_id": t, "role": role, "scope": "", "created_at": at} for t, role, at in staff
    ]
    rows += [
        {"telegram_id": t, "role": "tutor", "scope": "", "created_at": at}
        for t, role, at in staff
        if role == "admin" and t in tutoring
    ]
    op.drop_table("staff")
    table = _create(("telegram_id", "role", "scope"), scope=True)
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    # One role per person again: admin over tutor; office, desk and secretary roles,
    # which the older schema cannot hold, are dropped.
    staff = _rows("SELECT telegram_id, role, created_at FROM staff ORDER BY created_at")
    kept: dict[int, dict[str, Any]] = {}
    for telegram_id, role, at in staff:
        if role not in ("tutor", "admin"):
            continue
        if telegram_id not in kept or role == "admin":
            kept[telegram_id] = {"telegram_id": telegram_id, "role": role, "created_at": at}
    op.drop_table("staff")
    table = _create(("telegram_id",), scope=False)
    if kept:
        op.bulk_insert(table, [kept[t] for t in sorted(kept)])
