"""hub closures

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "hub_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("note", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hubs.id"], name=op.f("fk_hub_closures_hub_id_hubs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_closures")),
    )
    with op.batch_alter_table("hub_closures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_closures_hub_id"), ["hub_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hub_closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_closures_hub_id"))
    op.drop_table("hub_closures")
