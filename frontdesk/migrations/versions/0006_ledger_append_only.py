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

from frontdesk.migrations.append_only import create_triggers, drop_triggers

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_triggers()


def downgrade() -> None:
    drop_triggers()
