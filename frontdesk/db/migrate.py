"""Run Alembic against an async engine: upgrade, downgrade, current revision.

Upgrades and downgrades run under a lock, so terminals starting together migrate once."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from frontdesk.domain.errors import Unavailable, UpgradeInProgress

log = logging.getLogger(__name__)

WAITING = "frontdesk: another terminal is upgrading the database…"


def say_waiting() -> None:
    """What every command that upgrades tells the person while another terminal upgrades."""
    print(WAITING, file=sys.stderr, flush=True)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("frontdesk") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _check_not_newer(conn: Connection) -> None:
    current = _current(conn)
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if current not in {s.revision for s in script.walk_revisions()}:
        raise Unavailable(
            f"This database was migrated by a newer frontdesk (revision {current}); "
            "upgrade frontdesk before using it."
        )


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


# Terminals that start together after an update all find the database one revision
# behind; only one may migrate, the others wait for it and then find nothing to do.
# PostgreSQL: a transaction-level advisory lock (the whole upgrade runs in the one
# transaction `engine.begin()` opens: Alembic sees it as external and adds none), so
# committing the new schema and letting the next terminal in are the same moment.
# SQLite: the migration's own write transaction (BEGIN IMMEDIATE, see db/engine.py).
LOCK_KEY = 0x66726F6E746465  # "frontde": fixed, frontdesk's only advisory lock
LOCK_WAIT = 120.0  # seconds a terminal waits for another one's upgrade
_POLL = 0.1  # seconds between tries of the lock
_SQLITE_TRY_MS = 100  # SQLite's busy wait per try, so a waiter is told it is waiting
_SQLITE_BUSY_MS = 5000  # db/engine.py's busy_timeout, put back once the lock is held

OnWait = Callable[[], None]


async def _wait_for_lock(
    try_lock: Callable[[], Awaitable[bool]], on_wait: OnWait | None, wait: float
) -> None:
    """Try the lock until it is held; tell `on_wait` once if it is not free at first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    told = False
    while not await try_lock():
        if not told:
            told = True
            log.info(WAITING)
            if on_wait is not None:
                on_wait()
        if loop.time() >= deadline:
            raise UpgradeInProgress()
        await asyncio.sleep(_POLL)


@asynccontextmanager
async def migration_lock(
    engine: AsyncEngine, on_wait: OnWait | None, wait: float
) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction that holds the migration lock until it ends."""
    if engine.dialect.name != "sqlite":
        async with engine.begin() as conn:

            async def try_pg() -> bool:
                taken = await conn.scalar(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
                )
                return bool(taken)

            await _wait_for_lock(try_pg, on_wait, wait)
            yield conn
        return

    held: list[AsyncConnection] = []

    async def try_sqlite() -> bool:
        conn = await engine.connect()
        try:
            await conn.run_sync(_busy_timeout, _SQLITE_TRY_MS)
            await conn.begin()  # BEGIN IMMEDIATE: waits _SQLITE_TRY_MS for the writer
        except OperationalError as exc:
            await conn.invalidate()  # a half-begun connection is not put back in the pool
            await conn.close()
            if "locked" in str(exc).lower():
                return False
            raise
        held.append(conn)
        return True

    await _wait_for_lock(try_sqlite, on_wait, wait)
    conn = held[0]
    try:
        await conn.run_sync(_busy_timeout, _SQLITE_BUSY_MS)
        yield conn
        await conn.commit()
    finally:
        await conn.close()  # rolls back unless committed


def _busy_timeout(sync_conn: Connection, ms: int) -> None:
    # On the driver's connection: through SQLAlchemy it would begin a transaction first.
    cursor = sync_conn.connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(ms)}")
    finally:
        cursor.close()


async def _run(
    engine: AsyncEngine,
    fn: Any,
    revision: str,
    on_wait: OnWait | None = None,
    wait: float = LOCK_WAIT,
) -> bool:
    """Run an Alembic command under the lock; True if it changed the revision.

    The revision is read only once the lock is held: a terminal that waited finds the
    one before it already did the work, and Alembic then does nothing."""
    async with migration_lock(engine, on_wait, wait) as conn:
        await conn.run_sync(_check_not_newer)
        before = await conn.run_sync(_current)

        def run(sync_conn: Connection) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = sync_conn
            fn(cfg, revision)

        await conn.run_sync(run)
        after = await conn.run_sync(_current)
    if after != before:
        log.info("Database upgraded from %s to %s", before or "empty", after or "empty")
    return after != before


async def upgrade(
    engine: AsyncEngine,
    revision: str = "head",
    *,
    on_wait: OnWait | None = None,
    wait: float = LOCK_WAIT,
) -> bool:
    """Upgrade to `revision`; True if this call did it, False if it was already there
    (perhaps because another terminal upgraded while this one waited for the lock).
    `on_wait` is called once if another terminal is upgrading; after `wait` seconds
    of that, UpgradeInProgress."""
    return await _run(engine, command.upgrade, revision, on_wait, wait)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> bool:
    return await _run(engine, command.downgrade, revision)
