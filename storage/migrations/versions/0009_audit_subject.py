"""audit subject

Revision ID: 0009
Revises: 0008
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("target", sa.String()),
    sa.column("subject", sa.BigInteger()),
)
# Until now the person an entry is about was only written into its target text.
USER_IN_TARGET = re.compile(r"(?:^|\s)user:(-?\d+)(?:\s|$)")


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_audit_log_subject", ["subject"], unique=False)
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit_log.c.id, audit_log.c.target).where(audit_log.c.target.contains("user:"))
    ).all()
    # Parsed here rather than in SQL: the same code on SQLite and PostgreSQL.
    for entry_id, target in rows:
        found = USER_IN_TARGET.search(target)
        if found is not None:
            connection.execute(
                audit_log.update()
                .where(audit_log.c.id == entry_id)
                .values(subject=int(found.group(1)))
            )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_subject")
        batch_op.drop_column("subject")
