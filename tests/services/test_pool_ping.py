"""A connection taken from PostgreSQL's pool is checked in one trip to the server
(frontdesk/db/pg_dialect.py): SQLAlchemy's pre-ping was BEGIN, an empty statement and
ROLLBACK each time, six trips per checkout. One the server has ended is still replaced
unseen (tests/services/test_database_faults.py ends them while idle in the pool)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from frontdesk.db.pg_dialect import DeskAsyncpgDialect
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.fault_books import funded_world


async def test_a_pooled_connection_is_pinged_in_one_trip(
    db_url: str, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the ping asked of the server is asyncpg's; SQLite has no pool ping")
    import asyncpg

    assert isinstance(ctx.engine.dialect, DeskAsyncpgDialect)
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    await desk.balances.adjust_wallet(w.client, Decimal("1.00"), "Warm the pool", key=new_key())
    asked: list[str] = []
    started: list[object] = []
    plain_fetchrow = asyncpg.connection.Connection.fetchrow
    plain_execute = asyncpg.connection.Connection.execute
    plain_start = asyncpg.transaction.Transaction.start

    async def fetchrow(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(f"fetchrow {query}")  # SQLAlchemy's ping: fetchrow(";") in a transaction
        return await plain_fetchrow(self, query, *args, **kwargs)

    async def execute(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(f"execute {query}")  # ours: one simple query
        return await plain_execute(self, query, *args, **kwargs)

    async def start(self: Any) -> None:
        started.append(self)
        await plain_start(self)

    monkeypatch.setattr(asyncpg.connection.Connection, "fetchrow", fetchrow)
    monkeypatch.setattr(asyncpg.connection.Connection, "execute", execute)
    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", start)
    change = await desk.balances.adjust_wallet(
        w.client, Decimal("1.00"), "Pool taken twice", key=new_key()
    )
    assert change.balance_after == change.balance_before + 1
    # One posting: one connection from the pool, pinged in one trip, and the posting's
    # own transaction (asyncpg sends its BEGIN and COMMIT through `execute` too).
    assert asked == ["execute SELECT 1", "execute BEGIN;", "execute COMMIT;"], asked
    assert len(started) == 1
