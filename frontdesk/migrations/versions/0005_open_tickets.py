"""open tickets: tickets left open, to resume on any terminal

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00.000000

`open_tickets` keeps a parked ticket's input under its idempotency key (unique), who left
it open, when, and which terminal holds it now. Completing the key deletes the row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "open_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("input_json", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("parked_by", sa.Integer(), nullable=True),
        sa.Column("parked_terminal", sa.String(length=80), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_open_tickets_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_open_tickets_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["parked_by"], ["staff.id"], name=op.f("fk_open_tickets_parked_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_tickets")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_open_tickets_idempotency_key")),
    )
    with op.batch_alter_table("open_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_open_tickets_location_id"), ["location_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("open_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open_tickets_location_id"))
    op.drop_table("open_tickets")
