"""What frontdesk sent to the database, and the same again through the raw driver.

`Capture` listens to an engine (`after_cursor_execute`, `begin`, `commit`, `rollback`)
and keeps the statements exactly as the driver received them (SQL text and DBAPI
parameters) with the transactions around them. The `replay_*` functions send that list
again through aiosqlite, asyncpg or the stdlib `sqlite3`, in the same transactions, on a
copy of the database taken before frontdesk ran: the copy then ends in the same state
(same ids, same rows), so round after round the two databases stay in step.

This is the baseline the issue asks for: the cost of the statements themselves, without
SQLAlchemy, pydantic or our services around them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

Mark = Literal["begin", "commit", "rollback"]


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any  # a tuple, or a list of tuples when `many`
    many: bool


Event = Statement | Mark

# What the raw replays need on a connection, as frontdesk.db.engine sets up SQLite's.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


@dataclass
class Capture:
    """Records while open: `with Capture(engine) as cap: ...; cap.events`."""

    engine: AsyncEngine
    events: list[Event] = field(default_factory=list)

    def __enter__(self) -> Capture:
        sync = self.engine.sync_engine
        event.listen(sync, "after_cursor_execute", self._statement)
        event.listen(sync, "begin", self._begin)
        event.listen(sync, "commit", self._commit)
        event.listen(sync, "rollback", self._rollback)
        return self

    def __exit__(self, *exc: object) -> None:
        sync = self.engine.sync_engine
        event.remove(sync, "after_cursor_execute", self._statement)
        event.remove(sync, "begin", self._begin)
        event.remove(sync, "commit", self._commit)
        event.remove(sync, "rollback", self._rollback)

    def _statement(
        self,
        _conn: Connection,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        executemany: bool,
    ) -> None:
        if executemany:
            params: Any = [tuple(p) for p in parameters]
        else:
            params = tuple(parameters) if parameters is not None else ()
        self.events.append(Statement(statement, params, executemany))

    def _begin(self, _conn: Connection) -> None:
        self.events.append("begin")

    def _commit(self, _conn: Connection) -> None:
        self.events.append("commit")

    def _rollback(self, _conn: Connection) -> None:
        self.events.append("rollback")


def statements(events: Sequence[Event]) -> list[Statement]:
    return [e for e in events if isinstance(e, Statement)]


def shape(events: Sequence[Event]) -> dict[str, int]:
    """How many statements of each first word, and transactions: what a row prints."""
    counts: dict[str, int] = {}
    for e in events:
        key = e if isinstance(e, str) else e.sql.lstrip().split(None, 1)[0].upper()
        counts[key] = counts.get(key, 0) + 1
    return counts


async def replay_aiosqlite(path: str, events: Sequence[Event]) -> float:
    """Seconds the events took (the connection is opened before the clock starts).
    On SQLite the `BEGIN IMMEDIATE` frontdesk sends is itself a statement (its
    `begin` listener), so `begin` marks are skipped and the statements carry it."""
    import aiosqlite

    async with aiosqlite.connect(path, isolation_level=None) as conn:
        for pragma in SQLITE_PRAGMAS:
            await conn.execute(pragma)
        started = time.perf_counter()
        for e in events:
            if e == "commit":
                await conn.commit()
            elif e == "rollback":
                await conn.rollback()
            elif isinstance(e, Statement):
                if e.many:
                    await conn.executemany(e.sql, e.params)
                else:
                    # SQLAlchemy's adapter fetches every row at once; so does the replay.
                    async with conn.execute(e.sql, e.params) as cursor:
                        await cursor.fetchall()
        return time.perf_counter() - started


def replay_sqlite3(path: str, events: Sequence[Event]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in SQLITE_PRAGMAS:
            conn.execute(pragma)
        started = time.perf_counter()
        for e in events:
            if e == "commit":
                conn.commit()
            elif e == "rollback":
                conn.rollback()
            elif isinstance(e, Statement):
                if e.many:
                    conn.executemany(e.sql, e.params)
                else:
                    conn.execute(e.sql, e.params).fetchall()
        return time.perf_counter() - started
    finally:
        conn.close()


async def replay_asyncpg(dsn: str, events: Sequence[Event]) -> float:
    """asyncpg has no statements for transactions: `begin` starts one, as SQLAlchemy's
    adapter does, and `commit`/`rollback` end it."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        tx: Any = None
        started = time.perf_counter()
        for e in events:
            if e == "begin":
                tx = conn.transaction()
                await tx.start()
            elif e in ("commit", "rollback"):
                if tx is not None:
                    await (tx.commit() if e == "commit" else tx.rollback())
                tx = None
            elif isinstance(e, Statement):
                if e.many:
                    await conn.executemany(e.sql, e.params)
                else:
                    await conn.fetch(e.sql, *e.params)
        return time.perf_counter() - started
    finally:
        await conn.close()


def sqlite_copy(source: str, target: str) -> None:
    """A consistent copy of a SQLite database (WAL included), through the backup API."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def table_counts(path: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()
