"""Core statements on the session's own connection (issue 19: Python per write).

`AsyncSession.execute` of a statement on tables (no ORM entity) does what the
connection's `execute` does, after the session's own set-up per statement (its execute
hooks, finding its bind and connection): a fifth of a statement's Python on this VM. A
session the service context opens keeps its connection in its `info` (one transaction
per session, no nested ones), and the hot writes send their Core statements through it.
Such a statement never autoflushes (nor did it through the session); a caller that needs
what it added to the session written first flushes first, as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

CONNECTION = "frontdesk.connection"


def keep_connection(session: AsyncSession, conn: AsyncConnection) -> None:
    """`conn` is `session`'s connection for the rest of its one transaction."""
    session.info[CONNECTION] = conn


async def execute(
    session: AsyncSession,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> Result[*tuple[Any, ...]]:
    """`session.execute(statement, params)` for a Core statement on tables, on the
    session's kept connection when it has one."""
    conn: AsyncConnection | None = session.info.get(CONNECTION)
    if conn is None:
        return await session.execute(statement, params)
    return await conn.execute(statement, params)
