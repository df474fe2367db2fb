"""promotion codes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00.000000

`promotions` holds the codes (stored folded, a percent or a fixed amount, never both);
`promotion_uses` one row per ticket that used a code. "Once per client" is a partial
unique index on (promotion_id, client_id) where the use's copied `once_per_client` flag
is set: both engines have partial indexes, and checkout also locks the code before it
checks, so a race ends in a clear message rather than at this index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ONCE = sa.text("once_per_client")


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("fixed_minor", sa.BigInteger(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("once_per_client", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(percent > 0 AND percent <= 100 AND fixed_minor IS NULL)"
            " OR (percent IS NULL AND fixed_minor > 0)",
            name=op.f("ck_promotions_one_amount"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
        sa.UniqueConstraint("code", name=op.f("uq_promotions_code")),
    )
    op.create_table(
        "promotion_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("once_per_client", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_promotion_uses_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_uses_promotion_id_promotions"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_promotion_uses_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_uses")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_promotion_uses_ticket_id")),
    )
    with op.batch_alter_table("promotion_uses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_promotion_uses_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            "uq_promotion_uses_once",
            ["promotion_id", "client_id"],
            unique=True,
            sqlite_where=_ONCE,
            postgresql_where=_ONCE,
        )


def downgrade() -> None:
    with op.batch_alter_table("promotion_uses", schema=None) as batch_op:
        batch_op.drop_index("uq_promotion_uses_once")
        batch_op.drop_index(batch_op.f("ix_promotion_uses_client_id"))

    op.drop_table("promotion_uses")
    op.drop_table("promotions")
