"""ticket refund: why, who and where a ticket was refunded

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refund_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("refunded_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("refund_terminal", sa.String(length=80), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_refunded_by_staff"), "staff", ["refunded_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tickets_refunded_by_staff"), type_="foreignkey")
        batch_op.drop_column("refund_terminal")
        batch_op.drop_column("refunded_by")
        batch_op.drop_column("refund_reason")
