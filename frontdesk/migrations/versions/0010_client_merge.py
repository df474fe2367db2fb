"""client merge: a merged client record points at the one it was merged into

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 10:00:00.000000

Merging two records of one person (issue 14) keeps the merged row, its ledger accounts
and their entries (entries are never moved or deleted), and marks it with the client it
now lives on: search leaves it out and a second merge of it is refused.

A plain integer, no foreign key: SQLite cannot drop a column that has one except by
copying the table, and copying `clients` (which every client-owned row points at) fails
its foreign keys whenever there is data, so a downgrade past this revision would break.
Only the merge service writes it, with the id of a client it has just locked; clients
are never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("clients", sa.Column("merged_into_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    # In place on both engines (SQLite 3.35+ drops a column without a foreign key).
    op.execute("ALTER TABLE clients DROP COLUMN merged_into_id")
