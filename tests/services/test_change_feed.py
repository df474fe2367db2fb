"""The change feed (issue 15, item 1): a commit from another connection is signalled,
nothing is signalled while nobody writes, and a lost connection comes back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from decimal import Decimal

from sqlalchemy import text

from frontdesk.db.engine import create_engine
from frontdesk.domain.write_keys import new_key
from frontdesk.services.changes import ChangeFeed
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.changes import ACCOUNTS, BALANCES, CLIENTS, EVERYTHING, Change
from tests.services.factories import make_client, make_staff, make_store

BOUND = 5.0  # generous: a loaded machine; the screen test holds the 1 s promise


@asynccontextmanager
async def running(feed: ChangeFeed) -> AsyncIterator[asyncio.Queue[Change]]:
    """The feed running in a task, its changes on a queue, ready when entered."""
    seen: asyncio.Queue[Change] = asyncio.Queue()

    async def pump() -> None:
        async for change in feed.changes():
            seen.put_nowait(change)

    task = asyncio.create_task(pump())
    try:
        await asyncio.wait_for(feed.ready.wait(), BOUND)
        yield seen
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await feed.aclose()


async def test_a_spend_on_another_terminal_is_signalled(ctx: ServiceContext, db_url: str) -> None:
    await make_store(ctx)
    owner = await make_staff(ctx, role="owner")
    client = await make_client(ctx)
    other = Desk.open(db_url, terminal="desk-2", staff_id=owner.id)
    feed = ChangeFeed(create_engine(db_url), poll_seconds=0.1)
    try:
        async with running(feed) as seen:
            await other.balances.adjust_wallet(
                client.id, Decimal("-5"), "spent elsewhere", allow_negative=True, key=new_key()
            )
            change = await asyncio.wait_for(seen.get(), BOUND)
            assert change.concerns(BALANCES, client.id)
            assert not change.concerns({"staff"}) or change.everything
            if ctx.is_postgres:  # the triggers name what changed, and for whom
                assert ACCOUNTS in change.tables and client.id in change.client_ids
                assert not change.concerns(BALANCES, client.id + 1)
    finally:
        await other.close()
        await feed.engine.dispose()


async def test_nothing_is_signalled_while_nobody_writes(ctx: ServiceContext, db_url: str) -> None:
    feed = ChangeFeed(create_engine(db_url), poll_seconds=0.1)
    try:
        async with running(feed) as seen:
            before = feed.cost
            await asyncio.sleep(0.6)  # several polls' worth of nothing happening
            assert seen.empty()
            polls = feed.cost - before
            if ctx.is_postgres:
                assert polls == 0  # LISTEN: the server speaks only when there is news
            else:
                assert 1 <= polls <= 8  # one PRAGMA a poll (0.1 s here), nothing else
    finally:
        await feed.engine.dispose()


async def test_raw_sql_from_another_tool_is_signalled(ctx: ServiceContext, db_url: str) -> None:
    client = await make_client(ctx)
    feed = ChangeFeed(create_engine(db_url), poll_seconds=0.1)
    try:
        async with running(feed) as seen:
            async with ctx.engine.begin() as conn:
                await conn.execute(
                    text("UPDATE clients SET notes = 'raw' WHERE id = :id"), {"id": client.id}
                )
            change = await asyncio.wait_for(seen.get(), BOUND)
            assert change.concerns({CLIENTS}, client.id)
    finally:
        await feed.engine.dispose()


async def test_a_lost_listening_connection_comes_back(ctx: ServiceContext, db_url: str) -> None:
    """PostgreSQL: the server drops the listener; the feed reconnects, says everything may
    have changed, and hears the next commit. (SQLite has no server to drop it.)"""
    if not ctx.is_postgres:
        return
    client = await make_client(ctx)
    feed = ChangeFeed(create_engine(db_url), first_backoff=0.05)
    try:
        async with running(feed) as seen:
            async with ctx.engine.begin() as conn:
                await conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
                    )
                )
            change = await asyncio.wait_for(seen.get(), BOUND)
            assert change.everything and feed.reconnects == 1
            await asyncio.wait_for(feed.ready.wait(), BOUND)
            async with ctx.engine.begin() as conn:
                await conn.execute(
                    text("UPDATE clients SET notes = 'back' WHERE id = :id"), {"id": client.id}
                )
            change = await asyncio.wait_for(seen.get(), BOUND)
            assert change.concerns({CLIENTS}, client.id) and not change.everything
    finally:
        await feed.engine.dispose()


def test_payloads_name_tables_and_clients() -> None:
    change = Change.from_payloads(["stored_value_accounts:7", "ledger_entries:7", "tickets:"])
    assert change.tables == {"stored_value_accounts", "ledger_entries", "tickets"}
    assert change.client_ids == {7} and change.any_client
    assert Change.from_payloads(["appointments:3"]).concerns({"appointments"}, 3)
    assert not Change.from_payloads(["appointments:3"]).concerns({"appointments"}, 4)
    assert not Change.from_payloads(["appointments:3"]).concerns(BALANCES)
    assert EVERYTHING.concerns(BALANCES, 3) and not EVERYTHING.concerns(frozenset())


async def test_this_terminals_own_commits_are_signalled_too(ctx: ServiceContext) -> None:
    """The feed's connection is its own, so a commit through the same engine's pool is
    another connection's: SQLite's data_version moves for it as for another terminal's."""
    client = await make_client(ctx)
    feed = ChangeFeed(ctx.engine, poll_seconds=0.1)
    async with running(feed) as seen:
        async with ctx.transaction() as session:
            await session.execute(
                text("UPDATE clients SET notes = 'here' WHERE id = :id"), {"id": client.id}
            )
        change = await asyncio.wait_for(seen.get(), BOUND)
        assert change.concerns({CLIENTS}, client.id)
