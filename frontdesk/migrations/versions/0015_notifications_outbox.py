"""notifications outbox: one row per message per channel, pending until sent

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 15:10:00.000000

`notifications` (issue 16, item 6) holds what the desk queued for a client on a channel
they have not opted out of: the category, the text (inert), when, and whether it was
sent (`sent_at`), with the attempts and a short error of our own words when a send
failed. A partial index on the unsent rows keeps a send run from reading the history.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_notifications_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_client_id", "notifications", ["client_id"])
    op.create_index(
        "ix_notifications_pending",
        "notifications",
        ["id"],
        sqlite_where=sa.text("sent_at IS NULL"),
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_pending", table_name="notifications")
    op.drop_index("ix_notifications_client_id", table_name="notifications")
    op.drop_table("notifications")
