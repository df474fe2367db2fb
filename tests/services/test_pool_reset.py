"""A SQLite connection back in the pool is rolled back only when a transaction is still
open (frontdesk/db/engine.py `_sqlite_reset`, issue 19): a committed one costs no trip to
aiosqlite's thread, and one given back mid-transaction never carries its write lock to
the next user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection

from frontdesk.db.engine import create_engine


@pytest.fixture
def rollbacks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every rollback the driver connection is asked for."""
    seen: list[object] = []
    original = AsyncAdapt_aiosqlite_connection.rollback

    def counted(self: Any) -> None:
        seen.append(self)
        original(self)

    monkeypatch.setattr(AsyncAdapt_aiosqlite_connection, "rollback", counted)
    return seen


async def test_a_committed_transaction_is_not_rolled_back(
    tmp_path: Path, rollbacks: list[object]
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'reset.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        rollbacks.clear()  # the dialect's own, on its first connection
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        assert rollbacks == []
    finally:
        await engine.dispose()


async def test_an_open_transaction_is_rolled_back_on_return(
    tmp_path: Path, rollbacks: list[object]
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'reset.db'}")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        rollbacks.clear()  # the dialect's own, on its first connection
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection
            # Begun behind SQLAlchemy's back: it sees no transaction to end at close.
            await driver.execute("BEGIN IMMEDIATE")
            assert driver.in_transaction
        assert len(rollbacks) == 1
        async with engine.connect() as conn:  # the pool's one connection again
            again: Any = (await conn.get_raw_connection()).driver_connection
            assert again is driver and not again.in_transaction
        async with engine.begin() as conn:  # and its write lock was let go
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        await engine.dispose()
