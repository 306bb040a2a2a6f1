"""reminders and greenway events

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
USER_FLAGS = ("events_digest", "all_greenways", "mute_announcements")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_offsets", JSON, nullable=True))
        for name in USER_FLAGS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    op.create_table(
        "greenway_subscriptions",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("greenway_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["greenway_id"],
            ["greenways.id"],
            name=op.f("fk_greenway_subscriptions_greenway_id_greenways"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "telegram_id", "greenway_id", name=op.f("pk_greenway_subscriptions")
        ),
    )
    with op.batch_alter_table("greenway_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_greenway_subscriptions_greenway_id"), ["greenway_id"], unique=False
        )
    op.create_table(
        "event_rsvps",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_rsvps_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "telegram_id", name=op.f("pk_event_rsvps")),
    )
    with op.batch_alter_table("event_rsvps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_rsvps_telegram_id"), ["telegram_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_rsvps_telegram_id"))
    op.drop_table("event_rsvps")
    with op.batch_alter_table("greenway_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_greenway_subscriptions_greenway_id"))
    op.drop_table("greenway_subscriptions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in reversed(USER_FLAGS):
            batch_op.drop_column(name)
        batch_op.drop_column("reminder_offsets")
