"""SQLAlchemy's aiosqlite dialect, with two changes: a statement is one trip to the
driver's thread, and a connection it throws away is closed to the end, whatever cancels
the task doing it.

One trip (issue 19): SQLAlchemy's adapter makes four per statement (make a cursor,
execute, fetch the rows, close the cursor), each a hand-off to aiosqlite's thread and a
wait for its answer; that hand-off was ~46 % of a posting's time. `OneTripCursor` does
all four in one function run on that thread, and keeps what SQLAlchemy reads afterwards
(description, rowcount, lastrowid, the rows). Server-side cursors stay SQLAlchemy's.

SQLAlchemy throws away ("terminates") a connection whose statement was cancelled, or that
the change feed invalidates: a graceful close, then a forced one if the graceful close is
itself cancelled. Textual cancels a worker more than once on the way out (every worker
when the app's loop ends, then each screen's again as it unmounts), so at quit the second
cancel lands in the graceful close. aiosqlite 0.21 has no forced close (the pool logged
NotImplementedError with its traceback, onto the terminal); 0.22's stops the driver's
thread under the graceful close, which then waits for an answer that never comes (the
process did not end after `q`: issue 19). Here the close is never abandoned: it runs on
the driver's thread to its end, and only then does the cancellation go on up (the pool
treats a cancelled terminate as the quiet case it is: `has_terminate`).
`tests/services/test_connection_close.py` cancels a read twice and checks both.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util import EMPTY_DICT, await_only
from sqlalchemy.util.concurrency import in_greenlet


class Ran:
    """What a statement left on its sqlite3 cursor, read on the driver's thread."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount", "rows")

    def __init__(self, description: Any, rowcount: int, lastrowid: Any, rows: Any) -> None:
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.rows = rows
        self.arraysize = 1

    def close(self) -> None:  # the sqlite3 cursor is closed already
        pass


def _run(conn: Any, operation: Any, parameters: Any, many: bool) -> Ran:
    """On aiosqlite's thread: the whole statement, its rows and the cursor's close."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return Ran(description, cursor.rowcount, cursor.lastrowid, rows)
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False  # `Ran.close`: nothing left to close

    def __init__(self, adapt_connection: Any) -> None:  # no cursor made ahead: a trip
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = Ran(None, -1, None, ())  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._one_trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._one_trip(operation, seq_of_parameters, many=True)

    async def _one_trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        driver = self._connection
        async with self._adapt_connection._execute_mutex:
            # aiosqlite's own queue, as SQLAlchemy's isolation_level setter uses it.
            ran = await driver._execute(_run, driver._conn, operation, parameters, many)
        self._cursor = ran
        self._rows = collections.deque(ran.rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


class DeskAiosqliteDialect(SQLiteDialect_aiosqlite):
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> AsyncAdapt_aiosqlite_dbapi:
        return OneTripDBAPI(__import__("aiosqlite"), __import__("sqlite3"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.has_terminate = True  # a close that always finishes, on any aiosqlite

    def do_terminate(self, dbapi_connection: Any) -> None:
        driver = self.get_driver_connection(dbapi_connection)
        if in_greenlet():
            await_only(close_to_the_end(driver))
            return
        # The garbage collector's case: no loop to wait on. aiosqlite 0.22 stops its
        # thread; 0.21's thread is a daemon and sqlite3 closes its connection when freed.
        stop = getattr(driver, "stop", None)
        if stop is not None:
            stop()


async def close_to_the_end(driver: Any) -> None:
    """`driver.close()` run to its end; a cancellation meanwhile is raised after it."""
    closing = asyncio.ensure_future(driver.close())
    cancelled: asyncio.CancelledError | None = None
    while not closing.done():
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError as cancel:
            if closing.done():  # the loop itself is ending: it cancelled the close too
                raise
            cancelled = cancel
    if cancelled is not None:
        raise cancelled
    closing.result()
