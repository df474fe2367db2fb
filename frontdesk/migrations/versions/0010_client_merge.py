"""client merge: a merged client record points at the one it was merged into

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29 10:00:00.000000

Merging two records of one person (issue 14) keeps the merged row, its ledger accounts
and their entries (entries are never moved or deleted), and marks it with the client it
now lives on: search leaves it out and a second merge of it is refused.

The column is added in place: a batch (copy-and-move) of `clients` on SQLite would have
to rebuild every table that points at it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_clients_merged_into_id_clients"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("clients", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "clients", "clients", ["merged_into_id"], ["id"])
    else:
        op.execute(
            f"ALTER TABLE clients ADD COLUMN merged_into_id INTEGER "
            f"CONSTRAINT {FK} REFERENCES clients (id)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FK, "clients")
        op.drop_column("clients", "merged_into_id")
    else:  # SQLite drops a column with a foreign key only by copying the table
        with op.batch_alter_table("clients", recreate="always") as batch_op:
            batch_op.drop_column("merged_into_id")
