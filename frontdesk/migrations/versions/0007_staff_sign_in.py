"""staff sign-in: PIN hashes, the lockout count, the two-person rule and the idle lock

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000

A staff member's number is their id. The lockout lives in the database so five wrong PINs
lock that person on every terminal (issue 13). `approved_by` names the manager whose PIN
allowed an adjustment, reversal or refund above the store's threshold.

`ledger_entries` gets its column with a plain ADD COLUMN: a batch (copy-and-move) on
SQLite would drop the append-only triggers of 0006 with the old table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.migrations.append_only import create_triggers, drop_triggers

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("failed_pins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("store_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "approval_threshold_minor",
                sa.BigInteger(),
                nullable=False,
                server_default="10000",
            )
        )
        batch_op.add_column(
            sa.Column("idle_lock_seconds", sa.Integer(), nullable=False, server_default="300")
        )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refund_approved_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_refund_approved_by_staff"),
            "staff",
            ["refund_approved_by"],
            ["id"],
        )
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("ledger_entries", sa.Column("approved_by", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_ledger_entries_approved_by_staff",
            "ledger_entries",
            "staff",
            ["approved_by"],
            ["id"],
        )
    else:
        op.execute(
            "ALTER TABLE ledger_entries ADD COLUMN approved_by INTEGER "
            "CONSTRAINT fk_ledger_entries_approved_by_staff REFERENCES staff (id)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_ledger_entries_approved_by_staff", "ledger_entries")
        op.drop_column("ledger_entries", "approved_by")
    else:  # SQLite cannot drop a column with a foreign key in place: copy the table
        drop_triggers()
        with op.batch_alter_table("ledger_entries", recreate="always") as batch_op:
            batch_op.drop_column("approved_by")
        create_triggers()
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_tickets_refund_approved_by_staff"), type_="foreignkey"
        )
        batch_op.drop_column("refund_approved_by")
    with op.batch_alter_table("store_settings", schema=None) as batch_op:
        batch_op.drop_column("idle_lock_seconds")
        batch_op.drop_column("approval_threshold_minor")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_pins")
        batch_op.drop_column("pin_hash")
