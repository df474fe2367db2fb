"""Rows written together: one statement for many rows, their ids back in the rows' order
(issue 19: statements are a budget)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def insert_ids(
    session: AsyncSession,
    entity: Any,
    id_column: InstrumentedAttribute[int],
    rows: Sequence[dict[str, Any]],
) -> list[int]:
    """Insert `rows` into `entity`'s table in one statement; their ids, in `rows`' order.
    Core, not the ORM's bulk insert: that splits the rows by which of them hold None."""
    table = entity.__table__
    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        # SQLite promises no order for RETURNING, so SQLAlchemy would send one INSERT per
        # row to get the ids in order. One multi-row INSERT runs under the database's one
        # write lock (BEGIN IMMEDIATE) and gives each row, in VALUES order, the next rowid
        # above every id before it: sorted, the ids are the rows' ids in order.
        stmt = insert(table).values(list(rows)).returning(id_column)
        return sorted((await session.execute(stmt)).scalars())
    # PostgreSQL: one "insertmanyvalues" batch that sorts its RETURNING by the rows.
    many = insert(table).returning(id_column, sort_by_parameter_order=True)
    return list((await session.execute(many, list(rows))).scalars())
