"""hour reports and certificates

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "hour_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_hour_reports_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_hour_reports_shift_id_shifts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hour_reports")),
    )
    with op.batch_alter_table("hour_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hour_reports_volunteer_day", ["telegram_id", "work_date"], unique=False
        )
        batch_op.create_index(
            "ix_hour_reports_project_status", ["project_id", "status"], unique=False
        )
        batch_op.create_index("ix_hour_reports_day_status", ["work_date", "status"], unique=False)
        batch_op.create_index(
            "ix_hour_reports_figures",
            ["status", "work_date", "project_id", "telegram_id", "minutes"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_hour_reports_shift_id"), ["shift_id"], unique=False)

    op.create_table(
        "hour_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("projects", JSON, nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hour_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_hour_certificates_code")),
    )
    with op.batch_alter_table("hour_certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hour_certificates_telegram_id"), ["telegram_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hour_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hour_certificates_telegram_id"))
    op.drop_table("hour_certificates")
    with op.batch_alter_table("hour_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hour_reports_shift_id"))
        batch_op.drop_index("ix_hour_reports_figures")
        batch_op.drop_index("ix_hour_reports_day_status")
        batch_op.drop_index("ix_hour_reports_project_status")
        batch_op.drop_index("ix_hour_reports_volunteer_day")
    op.drop_table("hour_reports")
