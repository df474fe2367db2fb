"""Count the statements a use case sends to the database (issue 19: statements are a budget).

    with count_statements(ctx.engine) as seen:
        await desk.balances.adjust_wallet(...)
    assert seen.proper <= 7, seen.report()

What counts, and why:

- **proper**: every SELECT, INSERT, UPDATE, DELETE (and anything else that is not
  transaction control) the driver is asked to execute, as `after_cursor_execute` sees it.
  One `executemany` or one batch of SQLAlchemy's "insertmanyvalues" is one statement: it
  is one call into the driver (asyncpg pipelines it, aiosqlite makes one thread hop).
  These are what a new query in a hot path adds, so these carry the budgets.
- **transaction control**, listed apart: the begin (SQLite's `BEGIN IMMEDIATE` / `BEGIN`,
  run as a statement by `frontdesk.db.engine`; asyncpg's implicit BEGIN, seen as the
  engine's `begin` event), COMMIT, ROLLBACK and SAVEPOINTs. Each is a round trip on
  PostgreSQL and a thread hop on aiosqlite, but one service call is one transaction, so
  they are a constant two; a test checks that one use case stays one transaction.
- PRAGMAs run on connect (`_sqlite_connect`) go through a raw cursor, not the engine, and
  happen once per pooled connection, not per use case: not counted. A PRAGMA a use case
  runs through the engine would count as "other", so it would show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

PROPER = ("SELECT", "INSERT", "UPDATE", "DELETE", "OTHER")
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT")


def kind_of(statement: str) -> str:
    """SELECT/INSERT/UPDATE/DELETE/OTHER, or the transaction-control word."""
    words = statement.lstrip().split(None, 1)
    first = words[0].upper() if words else ""
    if first == "WITH":  # a CTE: what it does is the statement after the CTEs
        body = statement.upper()
        for kind in ("INSERT", "UPDATE", "DELETE"):
            if f" {kind} " in body or f"\n{kind} " in body:
                return kind
        return "SELECT"
    if first in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
        return "SAVEPOINT" if first == "RELEASE" else first
    return first if first in PROPER else "OTHER"


@dataclass
class Seen:
    """What one `count_statements` block saw."""

    kinds: Counter[str] = field(default_factory=Counter)
    texts: list[str] = field(default_factory=list)
    # Statements proper per transaction, in the order the transactions began.
    per_transaction: list[int] = field(default_factory=list)

    def began(self) -> None:
        self.kinds["BEGIN"] += 1
        self.per_transaction.append(0)

    def ran(self, kind: str, statement: str) -> None:
        self.kinds[kind] += 1
        if kind in PROPER:
            self.texts.append(statement)
            if self.per_transaction:
                self.per_transaction[-1] += 1

    @property
    def proper(self) -> int:
        return sum(self.kinds[k] for k in PROPER)

    @property
    def transactions(self) -> int:
        return self.kinds["BEGIN"]

    def report(self) -> str:
        """The counts and every statement, first line only, for a failing assertion."""
        counts = ", ".join(f"{k} {self.kinds[k]}" for k in (*PROPER, *CONTROL) if self.kinds[k])
        lines = [" ".join(t.split())[:160] for t in self.texts]
        return (
            f"{self.proper} statements ({counts}; per transaction {self.per_transaction}):\n  "
            + "\n  ".join(lines)
        )


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[Seen]:
    """Count what `engine` executes inside the block (every connection of its pool)."""
    seen = Seen()
    sync = engine.sync_engine

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        kind = kind_of(statement)
        if kind == "BEGIN":
            seen.began()
        else:
            seen.ran(kind, statement)

    def began(conn: Any) -> None:
        # SQLite's begin is a statement of its own (counted above, by `executed`); the
        # asyncpg dialect begins implicitly, so its begin is counted here.
        if conn.dialect.name != "sqlite":
            seen.began()

    def committed(_conn: Any) -> None:
        seen.kinds["COMMIT"] += 1

    def rolled_back(_conn: Any) -> None:
        seen.kinds["ROLLBACK"] += 1

    def savepoint(*_: Any) -> None:
        seen.kinds["SAVEPOINT"] += 1

    listeners: list[tuple[str, Callable[..., Any]]] = [
        ("after_cursor_execute", executed),
        ("begin", began),
        ("commit", committed),
        ("rollback", rolled_back),
        ("savepoint", savepoint),
        ("release_savepoint", savepoint),
        ("rollback_savepoint", savepoint),
    ]
    for name, fn in listeners:
        event.listen(sync, name, fn)
    try:
        yield seen
    finally:
        for name, fn in listeners:
            event.remove(sync, name, fn)
