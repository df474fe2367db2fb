"""A statement on SQLite is one trip to aiosqlite's thread (frontdesk/db/sqlite_dialect.py
`OneTripCursor`, issue 19), and SQLAlchemy still reads from it everything it read from its
own four-trip cursor. SQLite only: the trips are aiosqlite's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiosqlite import Connection
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db.engine import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    made = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    async with made.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER UNIQUE)"))
    try:
        yield made
    finally:
        await made.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function handed to an aiosqlite thread."""
    seen: list[str] = []
    original = Connection._execute

    async def counted(self: Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(Connection, "_execute", counted)
    return seen


async def test_each_statement_is_one_trip(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))  # the connection's own set-up done
        trips.clear()
        rows = (await conn.execute(text("SELECT x FROM t"))).all()
        insert = await conn.execute(text("INSERT INTO t (x) VALUES (1)"))
        update = await conn.execute(text("UPDATE t SET x = x + 1"))
    assert rows == []
    assert (insert.rowcount, update.rowcount) == (1, 1)
    # Three statements (the transaction began with the first SELECT), then the rollback
    # at close. SQLAlchemy's own cursor: cursor, execute, fetchall, close for each.
    assert trips == ["_run", "_run", "_run", "rollback"]


async def test_sqlalchemy_reads_what_it_read_before(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        first = await conn.execute(text("INSERT INTO t (x) VALUES (10)"))
        assert first.lastrowid == 1
        returned = await conn.execute(text("INSERT INTO t (x) VALUES (20) RETURNING id, x"))
        assert returned.all() == [(2, 20)]
        many = await conn.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": 30}, {"x": 40}])
        assert many.rowcount == 2
        result = await conn.execute(text("SELECT id, x FROM t ORDER BY id"))
        assert list(result.keys()) == ["id", "x"]
        assert result.fetchmany(3) == [(1, 10), (2, 20), (3, 30)]
        assert result.fetchall() == [(4, 40)]
        assert (await conn.execute(text("DELETE FROM t WHERE x > 25"))).rowcount == 2


async def test_a_driver_error_is_still_sqlalchemy_s(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (x) VALUES (1)"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (x) VALUES (1)"))
    async with engine.connect() as conn:  # the pool's connection still works
        assert await conn.scalar(text("SELECT count(*) FROM t")) == 1
