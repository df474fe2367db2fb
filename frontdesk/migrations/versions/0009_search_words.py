"""search words: every word of a name by prefix, and a phone number by its last digits

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:00:00.000000

`client_name_words` holds the words of a client's folded names that a prefix scan of the
name itself cannot find ("briain" of "Ó Briain", "connor" and "oconnor" of "O'Connor"),
indexed by (word, client_id); `clients.phone_tail` is `phone_digits` reversed, indexed,
so "ends with 0123" is a range scan (issue 14). Existing clients are backfilled here in
id batches with the functions the app uses (`frontdesk.domain.normalize`); from then on
the mapper events of `frontdesk.db.tables.client_index` keep both right.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.domain.normalize import extra_words, phone_tail

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLIENTS_PER_STEP = 5_000  # bounded memory whatever the number of clients


def _search_text() -> sa.types.TypeEngine[str]:
    return sa.String(length=120).with_variant(sa.String(length=120, collation="C"), "postgresql")


clients = sa.table(
    "clients",
    sa.column("id", sa.Integer()),
    sa.column("search_first", sa.String()),
    sa.column("search_last", sa.String()),
    sa.column("phone_digits", sa.String()),
    sa.column("phone_tail", sa.String()),
)
words = sa.table("client_name_words", sa.column("client_id", sa.Integer()), sa.column("word"))


def upgrade() -> None:
    op.create_table(
        "client_name_words",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("word", _search_text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_name_words_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "word", name=op.f("pk_client_name_words")),
    )
    # A plain ADD COLUMN on both engines (no copy of the clients table on SQLite).
    op.add_column(
        "clients", sa.Column("phone_tail", _search_text(), server_default="", nullable=False)
    )
    _backfill()
    op.create_index("ix_client_name_words_word", "client_name_words", ["word", "client_id"])
    op.create_index(op.f("ix_clients_phone_tail"), "clients", ["phone_tail"])


def _backfill() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:  # one statement; SQLite has no reverse()
        bind.execute(sa.text("UPDATE clients SET phone_tail = reverse(phone_digits)"))
    retail = (
        sa.update(clients)
        .where(clients.c.id == sa.bindparam("b_id"))
        .values(phone_tail=sa.bindparam("b_tail"))
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.select(clients.c.id, clients.c.search_first, clients.c.search_last)
            .add_columns(clients.c.phone_digits)
            .where(clients.c.id > after)
            .order_by(clients.c.id)
            .limit(CLIENTS_PER_STEP)
        ).all()
        if not rows:
            return
        after = rows[-1].id
        new_words = [
            {"client_id": r.id, "word": w}
            for r in rows
            for w in sorted(extra_words(r.search_first) | extra_words(r.search_last))
        ]
        if new_words:
            bind.execute(sa.insert(words), new_words)
        tails = [
            {"b_id": r.id, "b_tail": phone_tail(r.phone_digits)} for r in rows if r.phone_digits
        ]
        if tails and not postgres:
            bind.execute(retail, tails)


def downgrade() -> None:
    op.drop_index(op.f("ix_clients_phone_tail"), table_name="clients")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("clients", "phone_tail")
    else:  # SQLite (3.35+) drops a plain column in place
        op.execute("ALTER TABLE clients DROP COLUMN phone_tail")
    op.drop_index("ix_client_name_words_word", table_name="client_name_words")
    op.drop_table("client_name_words")
