"""Rows written together: one statement for many rows, their ids back in the rows' order
(issue 19: statements are a budget)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from frontdesk.db.core_exec import execute


@functools.cache
def _insert_returning(table: Table, id_name: str, *, in_order: bool) -> Insert:
    """The table's INSERT … RETURNING its id, built once (issue 19: no statement built per
    write); the rows' values go in as parameters."""
    return insert(table).returning(table.c[id_name], sort_by_parameter_order=in_order)


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
    if len(rows) == 1:  # one row: its id is the one RETURNING gives
        stmt = _insert_returning(table, id_column.key, in_order=False)
        return [(await execute(session, stmt, rows[0])).scalar_one()]
    if session.get_bind().dialect.name == "sqlite":
        # SQLite promises no order for RETURNING, so SQLAlchemy would send one INSERT per
        # row to get the ids in order. One multi-row INSERT runs under the database's one
        # write lock (BEGIN IMMEDIATE) and gives each row, in VALUES order, the next rowid
        # above every id before it: sorted, the ids are the rows' ids in order.
        multi = insert(table).values(list(rows)).returning(id_column)
        return sorted((await execute(session, multi)).scalars())
    # PostgreSQL: one "insertmanyvalues" batch that sorts its RETURNING by the rows.
    many = _insert_returning(table, id_column.key, in_order=True)
    return list((await execute(session, many, list(rows))).scalars())
