"""membership cycles: one row per membership per cycle, what makes renewals repeatable

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 16:40:00.000000

`membership_cycles` (issue 16, items 3-5): a renewal run claims a cycle by inserting its
row, unique per (membership, cycle start), so running twice (or on two terminals at
once) charges and credits once. The row records the attempts, the gateway's answer, the
ticket that took the money and what the cycle gave (Auto credit, a Select choice pending,
made or expired). Past due is derived from it, not stored on the membership.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "membership_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("cycle_start", sa.Date(), nullable=False),
        sa.Column("cycle_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_on", sa.Date(), nullable=True),
        sa.Column("charge_key", sa.String(length=64), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("decline_reason", sa.String(length=200), nullable=False),
        sa.Column("gateway_ref", sa.String(length=80), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("benefit", sa.String(length=12), nullable=False),
        sa.Column("offer_service_id", sa.Integer(), nullable=True),
        sa.Column("offer_cash_minor", sa.BigInteger(), nullable=False),
        sa.Column("benefit_entry_id", sa.Integer(), nullable=True),
        sa.Column("benefit_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_membership_cycles_membership_id_memberships"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_membership_cycles_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["offer_service_id"],
            ["services.id"],
            name=op.f("fk_membership_cycles_offer_service_id_services"),
        ),
        sa.ForeignKeyConstraint(
            ["benefit_entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_membership_cycles_benefit_entry_id_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_membership_cycles_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_cycles")),
        sa.UniqueConstraint(
            "membership_id", "cycle_start", name=op.f("uq_membership_cycles_membership_id")
        ),
    )
    op.create_index(
        "ix_membership_cycles_membership_id_status",
        "membership_cycles",
        ["membership_id", "status"],
    )


def downgrade() -> None:
    op.drop_index("ix_membership_cycles_membership_id_status", table_name="membership_cycles")
    op.drop_table("membership_cycles")
