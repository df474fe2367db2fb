"""Async engine and session factory per database URL.

SQLite (file, WAL) is the zero-setup default; PostgreSQL (asyncpg, pooled) serves
several terminals. SQLite write transactions start with BEGIN IMMEDIATE so two
terminals never both read a balance and then both write it.
"""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState

from frontdesk.domain.errors import Unavailable

SUPPORTED = ("sqlite+aiosqlite", "postgresql+asyncpg")
READ_ONLY = "frontdesk_read_only"

# "sqlite+aiosqlite" URLs get SQLAlchemy's dialect with a close that cannot be cut short
# (frontdesk/db/sqlite_dialect.py); imported when the first SQLite engine is made.
registry.register("sqlite.aiosqlite", "frontdesk.db.sqlite_dialect", "DeskAiosqliteDialect")
# "postgresql+asyncpg" URLs get SQLAlchemy's dialect with a ping that asks asyncpg whether
# the server closed the connection, not the server (frontdesk/db/pg_dialect.py).
registry.register("postgresql.asyncpg", "frontdesk.db.pg_dialect", "DeskAsyncpgDialect")


def check_url(url: str) -> str:
    """Return the backend name ("sqlite"/"postgresql") or raise Unavailable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise Unavailable(f"Not a database URL: {url!r}") from None
    if parsed.drivername not in SUPPORTED:
        raise Unavailable(
            f"Unsupported database URL scheme {parsed.drivername!r}; "
            "use sqlite+aiosqlite:///path or postgresql+asyncpg://host/db"
        )
    if parsed.drivername.startswith("sqlite") and parsed.database in (None, "", ":memory:"):
        raise Unavailable("SQLite needs a file path: sqlite+aiosqlite:///path/to/frontdesk.db")
    return parsed.get_backend_name()


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin event, not the driver, decide how transactions start.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA database_list")
    files = [row[2] for row in cur.fetchall() if row[1] == "main" and row[2]]
    cur.close()
    for path in files:
        owner_only(Path(path))


def owner_only(database: Path) -> None:
    """The database and its WAL readable by their owner only: they hold every client's
    details and balances. SQLite gives the -wal and -shm files it creates the database
    file's own mode, so setting it here covers them; existing ones are set too. Bits are
    only taken away: a file made read-only (0444) stays read-only (0400)."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        with contextlib.suppress(OSError):  # not ours to change, or gone: leave it
            if path.exists():
                path.chmod(stat.S_IMODE(path.stat().st_mode) & 0o600)


def _sqlite_begin(conn: Any) -> None:
    # Reads take no write lock; writes take it up front so read-then-write can't deadlock.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_reset(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
    """A connection back in the pool is rolled back only if a transaction is still open.

    SQLAlchemy's own reset (`reset_on_return="rollback"`) rolls back every connection a
    committed session gives back (2.1.9: the session's commit ends the transaction before
    its close checks it in), and on aiosqlite every call is a trip to the driver's thread:
    one per transaction, 1 in 28 of a posting's (issue 19). `in_transaction` is read
    from the connection without one. Like SQLAlchemy's, nothing is sent when the
    connection is being thrown away or the call cannot wait (garbage collection)."""
    if state.terminate_only or not state.asyncio_safe or state.transaction_was_reset:
        return
    try:
        open_transaction = bool(dbapi_conn.driver_connection.in_transaction)
    except ValueError:  # aiosqlite: the connection is closed already
        return
    if open_transaction:
        dbapi_conn.rollback()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    backend = check_url(url)
    if backend == "sqlite":
        engine = create_async_engine(
            url, echo=echo, connect_args={"timeout": 30}, pool_reset_on_return=None
        )
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        event.listen(engine.sync_engine, "reset", _sqlite_reset)
        return engine
    return create_async_engine(
        url, echo=echo, pool_size=5, max_overflow=5, pool_pre_ping=True, pool_timeout=10
    )


def session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"
