"""write keys: idempotency for every money write, and the request each key was used for

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 14:00:00.000000

`write_keys` holds the key of each adjustment, Pay Balance, reversal, prepaid adjustment
and add-to-service (issue 15, item 4): unique, with the operation, the hash of the
request, the first result, who and where. `tickets.payload_hash` records the request a
checkout's key was used for, so the same key with other lines is refused instead of
returning the first ticket. Tickets completed before this have none and replay as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "write_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("operation", sa.String(length=40), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_write_keys_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_write_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_write_keys_key")),
    )
    # In place (SQLite 3.35+ adds a nullable column without copying the table).
    op.add_column("tickets", sa.Column("payload_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("tickets", "payload_hash")
    op.drop_table("write_keys")
