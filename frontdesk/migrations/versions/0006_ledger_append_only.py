"""ledger append-only: the database itself refuses UPDATE and DELETE on ledger entries

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000

Entries are never changed; a mistake is corrected by a new, reversing entry. The code
never updates or deletes one, and now raw SQL, another tool or a bug can't either: a
trigger on each engine aborts the statement (docs/rules.md#the-ledger, L2; issue 13).
PostgreSQL's TRUNCATE does not fire row triggers, so tests can still empty the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "ledger entries are append-only: correct a mistake with a reversing entry"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER ledger_entries_no_{event.lower()} BEFORE {event} ON ledger_entries "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_append_only()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER ledger_entries_no_{event}")
