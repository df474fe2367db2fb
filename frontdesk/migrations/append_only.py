"""The triggers that keep `ledger_entries` append-only on each engine (migration 0006).

Later migrations that must rewrite the table (SQLite's copy-and-move, a backfill) drop
them first and put them back in the same transaction.
"""

from __future__ import annotations

from alembic import op

MESSAGE = "ledger entries are append-only: correct a mistake with a reversing entry"
SQLITE_EVENTS = ("update", "delete")


def create_triggers() -> None:
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
    for event in SQLITE_EVENTS:
        op.execute(
            f"CREATE TRIGGER ledger_entries_no_{event} BEFORE {event.upper()} ON ledger_entries "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_append_only()")
        return
    for event in SQLITE_EVENTS:
        op.execute(f"DROP TRIGGER ledger_entries_no_{event}")
