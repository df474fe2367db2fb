"""product buy limit: the most units one add-on line may buy, per product

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 11:00:00.000000

`products.max_units_per_line` bounds Buy on one add-on line (issue 14, item 4): 999 unless
the product says otherwise, so a slipped key ("1920" for "20") is refused before it is a
bill, and a product sold by the syringe can say 10. Existing products get 999, the bound
the picker already applied to every product.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "products",
        sa.Column("max_units_per_line", sa.Integer(), nullable=False, server_default="999"),
    )


def downgrade() -> None:
    # In place, like 0008: SQLite (3.35+) drops a column without copying the table.
    op.drop_column("products", "max_units_per_line")
