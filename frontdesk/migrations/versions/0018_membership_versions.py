"""memberships: a row version, and why a membership was cancelled

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 16:45:00.000000

Memberships are paused, resumed, moved to another plan and cancelled from the profile
(issue 16, item 2). Two terminals on the same membership must not silently undo each
other, so each carries the row version every staff-edited row has (who changed it, on
which terminal, when); a cancellation also keeps its reason. Existing memberships start
at version 1, changed by nobody yet, with no cancel reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("changed_terminal", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_reason", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_memberships_changed_by_staff"), "staff", ["changed_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_memberships_changed_by_staff"), type_="foreignkey")
        for column in ("cancel_reason", "changed_at", "changed_by", "changed_terminal", "version"):
            batch_op.drop_column(column)
