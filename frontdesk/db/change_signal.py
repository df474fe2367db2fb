"""How each engine tells a terminal that someone committed a change.

PostgreSQL: `LISTEN frontdesk_changes` on one dedicated connection; migration 0012's
triggers notify on commit with "<table>:<client id>". Idle, it costs nothing: the server
speaks when there is something to say. SQLite: one dedicated connection reads
`PRAGMA data_version` every `poll_seconds`; the number changes when any other connection
(another terminal, a tool, or this terminal's own pool) commits. Idle, that is one cheap
statement per poll. Both take their connection from the engine (the same URL, driver
and connect-time settings as every other), never give it back to the pool (it is
invalidated on close), and raise `SignalLost` when it goes away. `next_change` returns
the notifications' payloads, or `UNKNOWN` when the engine cannot say what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

CHANNEL = "frontdesk_changes"
UNKNOWN: tuple[str, ...] = ()  # something changed; the engine does not say what
_LOST = object()  # put on the queue when the listening connection closes


class SignalLost(Exception):
    """The signal's connection went away; the feed reconnects."""


class ChangeSignal(Protocol):
    statements: int  # statements this signal sent (its idle cost)

    async def open(self) -> None: ...

    async def next_change(self) -> tuple[str, ...]: ...

    async def close(self) -> None: ...


class _Dedicated:
    """One connection of the engine's, kept out of the pool for as long as the signal lives."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.statements = 0
        self._conn: AsyncConnection | None = None

    async def _driver(self) -> Any:
        self._conn = await self.engine.connect()
        raw = await self._conn.get_raw_connection()
        return raw.driver_connection

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        # Never back to the pool: it listens, or its data_version is ours. Closing a
        # connection the database already dropped may fail; it is gone all the same.
        with contextlib.suppress(Exception):
            await conn.invalidate()
        with contextlib.suppress(Exception):
            await conn.close()


class SqliteSignal(_Dedicated):
    def __init__(self, engine: AsyncEngine, *, poll_seconds: float) -> None:
        super().__init__(engine)
        self.poll_seconds = poll_seconds
        self._db: Any = None
        self._version: int | None = None

    async def open(self) -> None:
        self._db = await self._driver()
        self._version = await self._data_version()

    async def _data_version(self) -> int:
        self.statements += 1
        # Autocommit (the engine sets isolation_level None): no transaction, no lock.
        async with self._db.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    async def next_change(self) -> tuple[str, ...]:
        while True:
            await asyncio.sleep(self.poll_seconds)
            version = await self._data_version()
            if version != self._version:
                self._version = version
                return UNKNOWN  # SQLite says that, not what


class PostgresSignal(_Dedicated):
    def __init__(self, engine: AsyncEngine, *, settle_seconds: float) -> None:
        super().__init__(engine)
        self.settle_seconds = settle_seconds
        self._queue: asyncio.Queue[object] = asyncio.Queue()

    async def open(self) -> None:
        driver = await self._driver()
        driver.add_termination_listener(self._terminated)
        self.statements += 1
        await driver.add_listener(CHANNEL, self._notified)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._queue.put_nowait(payload)

    def _terminated(self, _conn: object) -> None:
        self._queue.put_nowait(_LOST)

    async def next_change(self) -> tuple[str, ...]:
        first = await self._queue.get()
        # A commit's notifications arrive together, a burst of commits close behind:
        # a moment's wait makes them one change (one re-read per screen).
        await asyncio.sleep(self.settle_seconds)
        payloads = [first]
        while not self._queue.empty():
            payloads.append(self._queue.get_nowait())
        if _LOST in payloads:
            raise SignalLost("the listening connection closed")
        return tuple(p for p in payloads if isinstance(p, str))


def signal_for(engine: AsyncEngine, *, poll_seconds: float, settle_seconds: float) -> ChangeSignal:
    if engine.dialect.name == "postgresql":
        return PostgresSignal(engine, settle_seconds=settle_seconds)
    return SqliteSignal(engine, poll_seconds=poll_seconds)
