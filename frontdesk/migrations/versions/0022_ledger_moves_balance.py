"""ledger entries move their account: an AFTER INSERT trigger sets balance and last_hash

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 23:20:00.000000

Issue 19 (statements are a budget): every posting sent an INSERT of the entry and an
UPDATE of its account's cached `balance` and `last_hash` to the entry's `balance_after`
and `entry_hash`. The database now does the second itself, in the same statement as the
first, so a posting is one round trip fewer (a checkout 9 -> 8 statements).

What the UPDATE did, the trigger does: the account's head becomes the inserted entry's.
The poster still locks the account and reads its head before the INSERT (the running
`balance_after`, the overdraft rule and the hash chain are computed from it), so the
trigger's UPDATE meets a row this transaction already holds. Rows fire in insertion
order on both engines (SQLite: as each row goes in; PostgreSQL: AFTER ROW events queued
in row order, fired at the statement's end), so a multi-row INSERT of one account's
entries ends on its last, as the running `balance_after` says it should.

A later migration that rewrites `ledger_entries` with SQLite's copy-and-move loses this
trigger with the old table, as it would the append-only ones: it must create it again.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ledger_entries_move_balance"
MOVE = (
    "UPDATE stored_value_accounts SET balance = NEW.balance_after, "
    "last_hash = NEW.entry_hash WHERE id = NEW.account_id"
)


def _statements(dialect: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for the trigger on this engine."""
    if dialect == "postgresql":
        return (
            [
                f"CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {MOVE}; RETURN NULL; END $$",
                f"CREATE TRIGGER {NAME} AFTER INSERT ON ledger_entries "
                f"FOR EACH ROW EXECUTE FUNCTION {NAME}()",
            ],
            [f"DROP TRIGGER {NAME} ON ledger_entries", f"DROP FUNCTION {NAME}()"],
        )
    return (
        [f"CREATE TRIGGER {NAME} AFTER INSERT ON ledger_entries FOR EACH ROW BEGIN {MOVE}; END"],
        [f"DROP TRIGGER {NAME}"],
    )


def upgrade() -> None:
    for statement in _statements(op.get_bind().dialect.name)[0]:
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(op.get_bind().dialect.name)[1]:
        op.execute(statement)
