"""ledger hash chain: each entry's hash covers it and the previous entry's in its account

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:00:00.000000

`ledger_entries.entry_hash` is SHA-256 over an entry's content and the hash of the entry
before it in the same account; `stored_value_accounts.last_hash` is the newest one's, so
removing an account's newest entry shows too (docs/rules.md#the-ledger, L10; issue 13).
Existing entries are chained here in (account, id) order with the same function the
poster uses (`frontdesk.domain.ledger_hash`).

The backfill UPDATEs ledger rows, so the append-only triggers are dropped for it and put
back in the same transaction. Columns are added and dropped in place: a batch
(copy-and-move) on SQLite would lose the triggers with the old table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.domain.ledger_hash import GENESIS, EntryContent, entry_hash
from frontdesk.migrations.append_only import create_triggers, drop_triggers

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNTS_PER_STEP = 500  # bounded memory whatever the size of the ledger

# Typed, so SQLite's stored text comes back as the datetime the poster hashed.
entries = sa.table(
    "ledger_entries",
    sa.column("id", sa.Integer()),
    sa.column("account_id", sa.Integer()),
    sa.column("amount", sa.BigInteger()),
    sa.column("balance_after", sa.BigInteger()),
    sa.column("reason", sa.String()),
    sa.column("description", sa.String()),
    sa.column("staff_id", sa.Integer()),
    sa.column("approved_by", sa.Integer()),
    sa.column("terminal", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("ticket_id", sa.Integer()),
    sa.column("appointment_id", sa.Integer()),
    sa.column("reverses_entry_id", sa.Integer()),
    sa.column("entry_hash", sa.String()),
)
accounts = sa.table(
    "stored_value_accounts", sa.column("id", sa.Integer()), sa.column("last_hash", sa.String())
)
CONTENT = [
    entries.c[name]
    for name in (
        "account_id",
        "amount",
        "balance_after",
        "reason",
        "description",
        "staff_id",
        "approved_by",
        "terminal",
        "created_at",
        "ticket_id",
        "appointment_id",
        "reverses_entry_id",
    )
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("stored_value_accounts", sa.Column("last_hash", sa.String(64), nullable=True))
    if postgres:
        op.add_column("ledger_entries", sa.Column("entry_hash", sa.String(64), nullable=True))
    else:  # SQLite adds a NOT NULL column only with a default; the backfill replaces it
        op.execute(
            "ALTER TABLE ledger_entries ADD COLUMN entry_hash VARCHAR(64) NOT NULL DEFAULT ''"
        )
    drop_triggers()
    _chain_existing_entries()
    create_triggers()
    if postgres:
        op.alter_column("ledger_entries", "entry_hash", nullable=False)


def _chain_existing_entries() -> None:
    bind = op.get_bind()
    account_ids = list(
        bind.scalars(sa.select(entries.c.account_id).distinct().order_by(entries.c.account_id))
    )
    for start in range(0, len(account_ids), ACCOUNTS_PER_STEP):
        step = account_ids[start : start + ACCOUNTS_PER_STEP]
        rows = bind.execute(
            sa.select(entries.c.id, *CONTENT)
            .where(entries.c.account_id.in_(step))
            .order_by(entries.c.account_id, entries.c.id)
        )
        hashes: list[dict[str, object]] = []
        heads: dict[int, str] = {}
        for row in rows:
            previous = heads.get(row.account_id, GENESIS)
            content = EntryContent(**{c.name: row._mapping[c.name] for c in CONTENT})
            heads[row.account_id] = entry_hash(content, previous)
            hashes.append({"entry_id": row.id, "hash": heads[row.account_id]})
        bind.execute(
            entries.update()
            .where(entries.c.id == sa.bindparam("entry_id"))
            .values(entry_hash=sa.bindparam("hash")),
            hashes,
        )
        bind.execute(
            accounts.update()
            .where(accounts.c.id == sa.bindparam("account_id"))
            .values(last_hash=sa.bindparam("hash")),
            [{"account_id": a, "hash": h} for a, h in heads.items()],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("ledger_entries", "entry_hash")
    else:  # in place (SQLite 3.35+), keeping the append-only triggers
        op.execute("ALTER TABLE ledger_entries DROP COLUMN entry_hash")
    op.drop_column("stored_value_accounts", "last_hash")
