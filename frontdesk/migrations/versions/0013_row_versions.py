"""row versions: appointments and open tickets carry a version and who changed them last

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 14:00:00.000000

Two terminals on the same appointment: the second save silently replaced the first (issue
15, item 2). Each appointment and open ticket now carries `version` (1 when made, +1 on
every change) and the terminal, staff member and UTC time of its last change; a save based
on an older version is refused with "Changed on <terminal> at <time>".

The add-on lines (`appointment_addons`) carry no version of their own: every change to them
goes through their appointment, under its row lock, and bumps its version, so that version
covers them. Existing rows start at version 1, changed by nobody yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("appointments", "open_tickets")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
            batch_op.add_column(sa.Column("changed_terminal", sa.String(length=80), nullable=True))
            batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_changed_by_staff"), "staff", ["changed_by"], ["id"]
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_changed_by_staff"), type_="foreignkey")
            batch_op.drop_column("changed_at")
            batch_op.drop_column("changed_by")
            batch_op.drop_column("changed_terminal")
            batch_op.drop_column("version")
