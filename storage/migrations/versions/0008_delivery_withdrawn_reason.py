"""delivery withdrawn reason

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

deliveries = sa.table(
    "deliveries",
    sa.column("status", sa.String()),
    sa.column("last_error", sa.Text()),
    sa.column("withdrawn_reason", sa.Text()),
)
withdrawn = deliveries.c.status == "cancelled"


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    # Until now a withdrawn delivery kept its reason where errors go.
    op.execute(
        deliveries.update()
        .where(withdrawn)
        .values(withdrawn_reason=deliveries.c.last_error, last_error=None)
    )


def downgrade() -> None:
    op.execute(
        deliveries.update().where(withdrawn).values(last_error=deliveries.c.withdrawn_reason)
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_reason")
