"""A read cancelled twice (once mid-statement, once while SQLAlchemy throws its connection
away) ends cancelled, closes its connection, leaves no task behind and logs nothing an
operator would see. That is what quitting the app does to a worker that was reading:
Textual cancels every worker when its loop ends, then each screen's again as it unmounts.

On SQLAlchemy's own aiosqlite dialect the second cancel forces the close: aiosqlite 0.21
logs NotImplementedError with a traceback (CI at ba3953c, onto a served session's
console), 0.22 leaves a close waiting forever (the process never ends).
frontdesk/db/sqlite_dialect.py runs the close to its end instead.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from frontdesk.db.engine import create_engine

BLOCK_KEY = 19_0001  # an advisory lock no other test takes


async def _until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Ask `condition` until it holds, each answer a round trip to PostgreSQL; fail
    naming `what` if it never does (only the server can say a lock is waited on)."""
    for _ in range(2_000):
        if await condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never saw {what}")


class Blocker:
    """A statement that waits, mid-flight, until the test lets it go."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.entered = threading.Event()
        self.released = threading.Event()
        self._holder: AsyncConnection | None = None

    async def prepare(self, conn: AsyncConnection) -> str:
        if self.engine.dialect.name == "sqlite":
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection

            def block() -> int:
                self.entered.set()
                self.released.wait(30)
                return 1

            await driver.create_function("desk_block", 0, block)
            return "SELECT desk_block()"
        self._holder = await self.engine.connect()
        await self._holder.execute(text(f"SELECT pg_advisory_lock({BLOCK_KEY})"))
        return f"SELECT pg_advisory_lock({BLOCK_KEY})"

    async def wait_until_blocked(self) -> None:
        if self.engine.dialect.name == "sqlite":
            assert await asyncio.to_thread(self.entered.wait, 30), "the read never began"
        else:
            await _until(self._waiting, "the read waiting mid-statement")

    async def _waiting(self) -> bool:
        if self._holder is None:
            return False  # the read has not begun
        waiting = await self._holder.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objid = :key AND NOT granted"
            ),
            {"key": BLOCK_KEY},
        )
        return bool(waiting)

    async def release(self) -> None:
        self.released.set()
        if self._holder is not None:
            await self._holder.execute(text(f"SELECT pg_advisory_unlock({BLOCK_KEY})"))
            await self._holder.close()


@pytest.fixture
def pool_log() -> Any:
    """Every record SQLAlchemy's loggers write at WARNING or above."""
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    keep = Keep(logging.WARNING)
    logger = logging.getLogger("sqlalchemy")
    logger.addHandler(keep)
    try:
        yield seen
    finally:
        logger.removeHandler(keep)


async def test_a_read_cancelled_twice_closes_quietly_and_leaves_nothing_running(
    db_url: str, pool_log: list[logging.LogRecord]
) -> None:
    engine = create_engine(db_url)
    blocker = Blocker(engine)
    thrown_away = asyncio.Event()
    event.listen(engine.sync_engine.pool, "invalidate", lambda *_: thrown_away.set())
    drivers: list[Any] = []
    try:

        async def read() -> None:
            async with engine.connect() as conn:
                statement = await blocker.prepare(conn)
                drivers.append((await conn.get_raw_connection()).driver_connection)
                await conn.execute(text(statement))

        before = asyncio.all_tasks()
        reading = asyncio.ensure_future(read())
        await blocker.wait_until_blocked()
        reading.cancel()  # the app's loop ends: every worker
        await thrown_away.wait()  # SQLAlchemy is now closing the read's connection
        reading.cancel()  # its screen unmounts: the worker again
        await blocker.release()
        done, _ = await asyncio.wait([reading], timeout=30)

        assert done, "the cancelled read never ended"
        assert reading.cancelled()
        left = [t for t in asyncio.all_tasks() - before if not t.done()]
        left = [t for t in left if t is not asyncio.current_task()]
        assert left == [], f"tasks left running after the read ended: {left}"
        assert [r.getMessage() for r in pool_log] == []
        if engine.dialect.name == "sqlite":  # its thread ended: nothing holds the process
            thread = getattr(drivers[0], "_thread", drivers[0])
            await asyncio.to_thread(thread.join, 30)
            assert not thread.is_alive(), "aiosqlite's thread did not end"
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_sqlite_urls_get_the_close_that_finishes(sqlite_url: str) -> None:
    from frontdesk.db.sqlite_dialect import DeskAiosqliteDialect

    engine = create_engine(sqlite_url)
    try:
        assert isinstance(engine.dialect, DeskAiosqliteDialect)
        async with engine.connect() as conn:  # the dialect still does its job
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
