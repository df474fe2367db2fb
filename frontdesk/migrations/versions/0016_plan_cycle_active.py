"""membership plans: billing cycle and active flag, for the plan editor

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 15:15:00.000000

A plan is set up at the desk (issue 16, item 1): how often it bills (monthly, quarterly,
annual; existing plans are monthly) and whether it is still offered (a plan stops being
sold by being deactivated, never deleted: memberships on it keep pointing at it), and
the row version every staff-edited row has (who changed it, on which terminal, when).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership_plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "billing_cycle", sa.String(length=10), nullable=False, server_default="monthly"
            )
        )
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        # Row versions, as 0013 gave appointments: who changed a plan, where, when.
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("changed_terminal", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_membership_plans_changed_by_staff"), "staff", ["changed_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("membership_plans", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_membership_plans_changed_by_staff"), type_="foreignkey"
        )
        for column in (
            "changed_at",
            "changed_by",
            "changed_terminal",
            "version",
            "active",
            "billing_cycle",
        ):
            batch_op.drop_column(column)
