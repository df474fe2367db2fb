"""The triggers that keep `ledger_entries` append-only on each engine (migration 0006).

Later migrations that must rewrite the table (SQLite's copy-and-move, a backfill) drop
them first and put them back in the same transaction; the tamper tests drop them the
same way, with the same statements.
"""

from __future__ import annotations

from alembic import op

MESSAGE = "ledger entries are append-only: correct a mistake with a reversing entry"
SQLITE_EVENTS = ("update", "delete")


def create_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
            "CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()",
        ]
    return [
        f"CREATE TRIGGER ledger_entries_no_{event} BEFORE {event.upper()} ON ledger_entries "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for event in SQLITE_EVENTS
    ]


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP TRIGGER ledger_entries_append_only ON ledger_entries",
            "DROP FUNCTION ledger_entries_append_only()",
        ]
    return [f"DROP TRIGGER ledger_entries_no_{event}" for event in SQLITE_EVENTS]


def create_triggers() -> None:
    for statement in create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def drop_triggers() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
