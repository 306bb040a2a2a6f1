"""announcement totals kept when deliveries are erased

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("erased_sent", "erased_failed", "erased_skipped", "erased_cancelled")


def upgrade() -> None:
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
