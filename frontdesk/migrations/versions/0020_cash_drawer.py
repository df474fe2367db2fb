"""cash drawers: one per location, terminal and business day, and their append-only events

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 17:45:00.000000

The cash drawer (issue 17, item 1; docs/rules.md#cash-drawer). `cash_drawers` is the head
row a close and a cash checkout both lock (unique per location, terminal and day, so two
terminals are two drawers and one terminal has one a day); `cash_drawer_events` records
open, cash in, paid out, close and reopen with who, where and when, and, like the ledger,
refuses UPDATE and DELETE by trigger on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "cash drawer events are append-only: reopen the drawer and close it again"


def _triggers(dialect: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements keeping `cash_drawer_events` append-only."""
    if dialect == "postgresql":
        return (
            [
                "CREATE FUNCTION cash_drawer_events_append_only() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
                "CREATE TRIGGER cash_drawer_events_append_only BEFORE UPDATE OR DELETE "
                "ON cash_drawer_events FOR EACH ROW "
                "EXECUTE FUNCTION cash_drawer_events_append_only()",
            ],
            [
                "DROP TRIGGER cash_drawer_events_append_only ON cash_drawer_events",
                "DROP FUNCTION cash_drawer_events_append_only()",
            ],
        )
    events = ("update", "delete")
    return (
        [
            f"CREATE TRIGGER cash_drawer_events_no_{e} BEFORE {e.upper()} ON cash_drawer_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for e in events
        ],
        [f"DROP TRIGGER cash_drawer_events_no_{e}" for e in events],
    )


def upgrade() -> None:
    op.create_table(
        "cash_drawers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_cash_drawers_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_drawers")),
        sa.UniqueConstraint(
            "location_id", "terminal", "business_date", name=op.f("uq_cash_drawers_location_id")
        ),
    )
    op.create_table(
        "cash_drawer_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drawer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("expected_minor", sa.BigInteger(), nullable=True),
        sa.Column("difference_minor", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["drawer_id"],
            ["cash_drawers.id"],
            name=op.f("fk_cash_drawer_events_drawer_id_cash_drawers"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_cash_drawer_events_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_drawer_events")),
    )
    op.create_index(op.f("ix_cash_drawer_events_drawer_id"), "cash_drawer_events", ["drawer_id"])
    for statement in _triggers(op.get_bind().dialect.name)[0]:
        op.execute(statement)


def downgrade() -> None:
    for statement in _triggers(op.get_bind().dialect.name)[1]:
        op.execute(statement)
    op.drop_index(op.f("ix_cash_drawer_events_drawer_id"), table_name="cash_drawer_events")
    op.drop_table("cash_drawer_events")
    op.drop_table("cash_drawers")
