"""Migration 0008 chains the entries a database already holds: back to 0007 (no hashes),
up again, and every entry has the hash the poster gave it, on both engines; the
append-only triggers are still there."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from frontdesk.db import migrate
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from tests.services.tamper import build_small_ledger, run_sql


async def _hashes(ctx: ServiceContext) -> list[tuple[int, str | None]]:
    """Every entry's hash, then every account's last hash (None: no entries)."""
    async with ctx.engine.connect() as conn:
        entries = await conn.execute(text("SELECT id, entry_hash FROM ledger_entries ORDER BY id"))
        accounts = await conn.execute(
            text("SELECT id, last_hash FROM stored_value_accounts ORDER BY id")
        )
        return [(int(r[0]), r[1]) for r in [*entries, *accounts]]


async def test_upgrading_chains_existing_entries_as_the_poster_does(ctx: ServiceContext) -> None:
    small = await build_small_ledger(ctx)
    posted = await _hashes(ctx)
    try:
        await migrate.downgrade(ctx.engine, "0007")
        assert await migrate.current_revision(ctx.engine) == "0007"
        with pytest.raises(DBAPIError, match="append-only"):
            await run_sql(ctx.engine, "DELETE FROM ledger_entries")
    finally:
        await migrate.upgrade(ctx.engine)
    assert await _hashes(ctx) == posted
    audit = await verify_ledger(ctx)
    assert audit.whole and audit.entries == small.count, audit
    with pytest.raises(DBAPIError, match="append-only"):
        await run_sql(ctx.engine, "UPDATE ledger_entries SET amount = 1")
