"""SQLAlchemy's asyncpg dialect, with a pool ping of one trip to the server, not three.

SQLAlchemy's pre-ping on asyncpg is BEGIN, an empty prepared statement and ROLLBACK each
time a connection is taken from the pool, and a checkout takes two connections: six
trips beside its twelve statements, about a third of a posting's time on a local server
and more across a network (issue 19). The transaction is there for pgbouncer's
transaction mode, where a prepared statement outside one may land on another server
connection. `SELECT 1` sent as a simple query prepares nothing, so it needs no
transaction: one trip. A connection asyncpg already knows is closed (the server's end of
the socket was read) is replaced without even that.

Asking asyncpg only (no trip at all) was tried and refused: a backend ended a moment
before the checkout may not have had its socket's end read yet, and the first statement
then failed ("connection lost, try again") where the ping replaces the connection unseen
(`tests/services/test_database_faults.py`, 1 run in 12).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.util import await_only


class DeskAsyncpgDialect(PGDialect_asyncpg):
    """`postgresql+asyncpg`, whose pool ping is one simple query."""

    supports_statement_cache = True

    def do_ping(self, dbapi_connection: Any) -> bool:
        """False: the pool throws the connection away and connects anew."""
        connection = dbapi_connection._connection
        if connection.is_closed():
            return False
        try:
            await_only(connection.execute("SELECT 1"))  # a simple query: nothing prepared
        except Exception as error:
            if self.is_disconnect(error, dbapi_connection, None):  # type: ignore[no-untyped-call]
                return False
            raise
        return True
