"""kiosk check-ins: one append-only row per appointment a client checked in to

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 19:40:00.000000

The client kiosk (issue 18, item 1): when a client confirms "that's me", each of their
appointments today at the kiosk's location moves to "checked in" (the schedule already
shows it) and gets a row here saying when, on which terminal and as which staff member
the kiosk was opened (rule 8). An appointment's own who/when columns are overwritten by
its next change; this row is not: like the ledger, triggers refuse UPDATE and DELETE.
One row per appointment (unique): a second check-in is no new arrival.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "appointment_check_ins"
MESSAGE = "check-ins are append-only"


def _triggers(dialect: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements keeping `appointment_check_ins` append-only."""
    if dialect == "postgresql":
        return (
            [
                f"CREATE FUNCTION {TABLE}_append_only() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
                f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE "
                f"ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
            ],
            [
                f"DROP TRIGGER {TABLE}_append_only ON {TABLE}",
                f"DROP FUNCTION {TABLE}_append_only()",
            ],
        )
    events = ("update", "delete")
    return (
        [
            f"CREATE TRIGGER {TABLE}_no_{e} BEFORE {e.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for e in events
        ],
        [f"DROP TRIGGER {TABLE}_no_{e}" for e in events],
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_check_ins_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_appointment_check_ins_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_check_ins")),
        sa.UniqueConstraint("appointment_id", name=op.f("uq_appointment_check_ins_appointment_id")),
    )
    for statement in _triggers(op.get_bind().dialect.name)[0]:
        op.execute(statement)


def downgrade() -> None:
    for statement in _triggers(op.get_bind().dialect.name)[1]:
        op.execute(statement)
    op.drop_table(TABLE)
