"""store settings, locations and staff carry row versions, for the setup screens

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-29 16:45:00.000000

The setup screens (issue 16, item 1) edit the store settings, the locations and the staff
list from any terminal: two owners saving the same row from two terminals must not
silently replace each other's change. Each of these rows now carries `version` (1 when
made, +1 on every change) and the terminal, staff member and UTC time of its last change,
as appointments (0013) and membership plans (0016) do. Existing rows start at version 1,
changed by nobody yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("store_settings", "locations", "staff")
# locations.changed_by has no foreign key: staff.location_id already points the other
# way, and a key back would make a cycle no create or drop order resolves.
KEYED = ("store_settings", "staff")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
            batch_op.add_column(sa.Column("changed_terminal", sa.String(length=80), nullable=True))
            batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
            if table in KEYED:
                batch_op.create_foreign_key(
                    batch_op.f(f"fk_{table}_changed_by_staff"), "staff", ["changed_by"], ["id"]
                )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in KEYED:
                batch_op.drop_constraint(
                    batch_op.f(f"fk_{table}_changed_by_staff"), type_="foreignkey"
                )
            batch_op.drop_column("changed_at")
            batch_op.drop_column("changed_by")
            batch_op.drop_column("changed_terminal")
            batch_op.drop_column("version")
