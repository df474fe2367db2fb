"""store settings, locations and staff carry row versions, for the setup screens

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 16:45:00.000000

The setup screens (issue 16, item 1) edit the store settings, the locations and the staff
list from any terminal: two owners saving the same row from two terminals must not
silently replace each other's change. Each of these rows now carries `version` (1 when
made, +1 on every change) and the terminal, staff member and UTC time of its last change,
as appointments (0013) and membership plans (0016) do. Existing rows start at version 1,
changed by nobody yet.

`changed_by` has no foreign key here (`VersionedSetup`): on SQLite, adding or dropping a
key means copying and dropping the table, and dropping `staff` or `locations` is refused
while anything points at them (every ledger entry names its staff member). Plain columns
are added and dropped in place (SQLite 3.35+ drops a column itself).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("store_settings", "locations", "staff")
COLUMNS = ("changed_at", "changed_by", "changed_terminal", "version")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        op.add_column(table, sa.Column("changed_terminal", sa.String(length=80), nullable=True))
        op.add_column(table, sa.Column("changed_by", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        for column in COLUMNS:
            op.drop_column(table, column)
