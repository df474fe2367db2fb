"""The fault suite, part two (issue 15, items 3 and 9): the database itself fails under a
service call. Each fault reaches the desk as the domain error it means, in words a person
can act on, never the driver's; nothing is half-written; the next call works.

- PostgreSQL ends the connection mid-session (`pg_terminate_backend`): mid-write, at the
  COMMIT, and while it sits idle in the pool;
- the connection goes with the COMMIT in flight and the commit went through: a checkout
  finds its key and returns what really happened;
- SQLite opened read-only (`mode=ro`, or a 0444 file when not root): writes refused,
  reads work;
- SQLite full (`PRAGMA max_page_count` on the connection): the write refused whole.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_only

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import LedgerEntry
from frontdesk.domain.errors import (
    ConnectionLost,
    DatabaseFull,
    ReadOnlyDatabase,
    Unavailable,
    describe,
)
from frontdesk.domain.write_keys import new_key
from frontdesk.services import context as context_module
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.fault_books import count, facial_ticket, funded_world, wallet_minor
from tests.services.world import assert_ledger_consistent, build_world

D = Decimal
TERMINATE_WAIT = 10  # seconds for a terminated backend to go (a loaded machine is slow)
LOST = "The database connection was lost — nothing was saved; try again"
READ_ONLY = "The database is read-only here — nothing was saved"
FULL = "The database is full — nothing was saved; free disk space"
DRIVER_WORDS = ("sqlite", "asyncpg", "interfaceerror", "operationalerror", "connection is closed")


def assert_for_the_desk(error: Unavailable, expected: str) -> None:
    assert str(error) == describe(error) == expected
    assert not any(word in str(error).lower() for word in DRIVER_WORDS)


# --- (b) PostgreSQL ends the connection mid-session -------------------------------------


def postgres_only(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no connection to lose")


async def terminate(admin: AsyncEngine, pid: int) -> None:
    """End the backend and wait (bounded) until it is gone, as a server restart would."""
    async with admin.connect() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(TERMINATE_WAIT * 20):
            alive = await conn.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
            if not alive:
                return
            await conn.rollback()  # pg_stat_activity is a snapshot per transaction
            await asyncio.sleep(0.05)
    pytest.fail(f"backend {pid} still alive {TERMINATE_WAIT} s after pg_terminate_backend")


@asynccontextmanager
async def terminated(ctx: ServiceContext, url: str, at: str) -> AsyncIterator[None]:
    """While inside, the first statement of `ctx` that starts with `at` (or its COMMIT,
    when `at` is "COMMIT") has its backend terminated right after it, mid-transaction."""
    admin = create_engine(url)
    fired: list[int] = []

    def kill_backend(conn: Any) -> None:
        pid = int(conn.connection.driver_connection.get_server_pid())
        fired.append(pid)
        await_only(terminate(admin, pid))  # the listener runs inside SQLAlchemy's greenlet

    def after_cursor_execute(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not fired and " ".join(statement.split()).startswith(at):
            kill_backend(conn)

    def before_commit(conn: Any) -> None:
        if not fired and at == "COMMIT":
            kill_backend(conn)

    sync = ctx.engine.sync_engine
    event.listen(sync, "after_cursor_execute", after_cursor_execute)
    event.listen(sync, "commit", before_commit)
    try:
        yield
    finally:
        event.remove(sync, "after_cursor_execute", after_cursor_execute)
        event.remove(sync, "commit", before_commit)
        await admin.dispose()
    assert fired, f"no statement started with {at!r}"


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("SELECT stored_value_accounts.id", LOST),  # the account locked
        ("INSERT INTO ledger_entries", LOST),
        # The COMMIT never reached the database; its key, looked up, says so.
        ("COMMIT", LOST),
    ],
)
async def test_a_connection_ended_mid_spend_is_a_domain_error_and_the_next_call_works(
    db_url: str, ctx: ServiceContext, at: str, message: str
) -> None:
    postgres_only(db_url)
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    before, entries = await wallet_minor(ctx, w.client), await count(ctx, LedgerEntry)
    async with terminated(ctx, db_url, at):
        with pytest.raises(ConnectionLost) as lost:
            await desk.balances.adjust_wallet(w.client, D("-5.00"), "Spend", key=new_key())
    assert_for_the_desk(lost.value, message)
    assert (await wallet_minor(ctx, w.client), await count(ctx, LedgerEntry)) == (before, entries)
    await desk.balances.adjust_wallet(
        w.client, D("-5.00"), "Spend again", key=new_key()
    )  # same engine
    assert await wallet_minor(ctx, w.client) == before - 500
    await assert_ledger_consistent(ctx)


async def test_a_checkout_whose_commit_lost_its_connection_says_nothing_was_saved(
    db_url: str, ctx: ServiceContext
) -> None:
    """The key is looked up on a fresh connection: not there, so the desk reads "nothing
    was saved", and the retry with the same key charges once."""
    postgres_only(db_url)
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    data = facial_ticket(w, "lost-at-commit")
    before = await wallet_minor(ctx, w.client)
    async with terminated(ctx, db_url, "COMMIT"):
        with pytest.raises(ConnectionLost) as lost:
            await desk.till.complete(data)
    assert_for_the_desk(lost.value, LOST)
    assert await wallet_minor(ctx, w.client) == before
    result = await desk.till.complete(data)
    assert not result.replayed
    assert await wallet_minor(ctx, w.client) == before - 1000
    await assert_ledger_consistent(ctx)


async def test_connections_ended_while_idle_in_the_pool_are_replaced_unseen(
    db_url: str, ctx: ServiceContext
) -> None:
    postgres_only(db_url)
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    await desk.balances.adjust_wallet(w.client, D("1.00"), "Warm the pool", key=new_key())
    admin = create_engine(db_url)
    try:
        async with admin.connect() as conn:
            pids = (
                await conn.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid()"
                    )
                )
            ).all()
        assert pids
        for pid in pids:
            await terminate(admin, pid)
    finally:
        await admin.dispose()
    change = await desk.balances.adjust_wallet(
        w.client, D("1.00"), "After the restart", key=new_key()
    )
    assert change.balance_after == change.balance_before + 1
    await assert_ledger_consistent(ctx)


async def test_a_checkout_whose_commit_went_through_returns_its_real_outcome(
    db_url: str, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The COMMIT reached the database but the connection went before the answer came
    back (the driver's error raised after the real commit): the key shows the ticket was
    saved, and the desk gets the ticket, charged once, not an error."""
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    data = facial_ticket(w, "answer-lost")
    before = await wallet_minor(ctx, w.client)
    real_exit: Callable[..., Awaitable[None]] = context_module._Tx.__aexit__
    lose_answer = [True]

    async def commit_then_lose_the_answer(self: Any, exc_type: Any, *rest: Any) -> None:
        await real_exit(self, exc_type, *rest)
        if exc_type is None and lose_answer and self.committing:
            lose_answer.clear()
            gone = ConnectionResetError("connection reset by peer")
            raise DBAPIError("COMMIT", None, gone, connection_invalidated=True)

    monkeypatch.setattr(context_module._Tx, "__aexit__", commit_then_lose_the_answer)
    result = await desk.till.complete(data)
    assert not result.replayed and not lose_answer
    assert await wallet_minor(ctx, w.client) == before - 1000
    again = await desk.till.complete(data)
    assert again.replayed and again.ticket_id == result.ticket_id
    await assert_ledger_consistent(ctx)


# --- (c) SQLite read-only ------------------------------------------------------------------


def read_only_url(path: Path, how: str) -> str:
    if how == "mode=ro":
        return f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true"
    if os.geteuid() == 0:
        pytest.skip("root writes a 0444 file all the same; the mode=ro case covers root")
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            file.chmod(0o444)
    return f"sqlite+aiosqlite:///{path}"


@pytest.mark.parametrize("how", ["mode=ro", "0444 file"])
async def test_sqlite_opened_read_only_refuses_writes_and_still_reads(
    sqlite_url: str, how: str
) -> None:
    writer = ServiceContext.create(create_engine(sqlite_url), terminal="writer")
    try:
        w = await funded_world(writer)
        before = await wallet_minor(writer, w.client)
    finally:
        await writer.dispose()
    path = Path(sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    ro = ServiceContext.create(
        create_engine(read_only_url(path, how)), terminal="reader", staff_id=w.manager
    )
    try:
        desk = Desk(ro)
        with pytest.raises(ReadOnlyDatabase) as refused:
            await desk.balances.adjust_wallet(w.client, D("-5.00"), "Spend", key=new_key())
        assert_for_the_desk(refused.value, READ_ONLY)
        with pytest.raises(ReadOnlyDatabase):
            await desk.till.complete(facial_ticket(w, "read-only"))
        assert await wallet_minor(ro, w.client) == before  # reads still work
        history = await desk.balances.history(w.client)
        assert history.total == 1
        await assert_ledger_consistent(ro)
    finally:
        await ro.dispose()


# --- (d) SQLite full -------------------------------------------------------------------------


async def test_sqlite_full_refuses_the_write_whole_and_reads_go_on(sqlite_url: str) -> None:
    setup = ServiceContext.create(create_engine(sqlite_url), terminal="setup")
    try:
        w = await build_world(setup)
    finally:
        await setup.dispose()
    engine = create_engine(sqlite_url)

    def no_more_pages(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {int(pages)}")
        cursor.close()

    event.listen(engine.sync_engine, "connect", no_more_pages)
    ctx = ServiceContext.create(engine, terminal="full-desk", staff_id=w.manager)
    desk = Desk(ctx)
    try:
        saved = 0
        with pytest.raises(DatabaseFull) as full:
            for n in range(2000):  # fill what room the last pages have, then one more
                before, entries = await wallet_minor(ctx, w.client), await count(ctx, LedgerEntry)
                await desk.balances.adjust_wallet(
                    w.client, D("1.00"), f"Credit {n} " + "x" * 180, key=new_key()
                )
                saved += 1
        assert_for_the_desk(full.value, FULL)
        assert (await wallet_minor(ctx, w.client), await count(ctx, LedgerEntry)) == (
            before,
            entries,
        )
        assert before == saved * 100
        async with ctx.read() as s:
            last = await s.scalar(select(LedgerEntry.description).order_by(LedgerEntry.id.desc()))
        assert last is None or last.startswith(f"Credit {saved - 1} ")
        await assert_ledger_consistent(ctx)
    finally:
        await ctx.dispose()


def lose_the_commit_answer(monkeypatch: pytest.MonkeyPatch, *, committed: bool) -> list[bool]:
    """The next COMMIT loses its connection: after reaching the database (`committed`) or
    before (the transaction rolled back). Returns a flag list emptied once it happened."""
    real_exit: Callable[..., Awaitable[None]] = context_module._Tx.__aexit__
    armed = [True]

    async def exit_losing_the_answer(self: Any, exc_type: Any, *rest: Any) -> None:
        if exc_type is None and armed:
            armed.clear()
            if committed:
                await real_exit(self, exc_type, *rest)
            else:
                self.committing = True
                await self.session.rollback()
            gone = ConnectionResetError("connection reset by peer")
            raise DBAPIError("COMMIT", None, gone, connection_invalidated=True)
        await real_exit(self, exc_type, *rest)

    monkeypatch.setattr(context_module._Tx, "__aexit__", exit_losing_the_answer)
    return armed


@pytest.mark.parametrize("committed", [True, False], ids=["saved", "not-saved"])
async def test_every_keyed_money_write_tells_its_real_outcome_after_a_lost_commit(
    db_url: str, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    """Adjustments, reversals and prepaid adjustments carry a key, so a COMMIT whose answer
    was lost is looked up: saved, the desk gets the change as if the answer had come;
    not saved, "nothing was saved" (never "it may have been"), and the retry writes once."""
    w = await funded_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    first = await desk.balances.adjust_wallet(w.client, D("5.00"), "To reverse", key=new_key())
    writes: list[tuple[str, Callable[[str], Awaitable[object]]]] = [
        ("wallet", lambda k: desk.balances.adjust_wallet(w.client, D("-5.00"), "Spend", key=k)),
        ("credit", lambda k: desk.balances.issue_account_credit(w.client, D("7"), "Gift", key=k)),
        ("pay", lambda k: desk.balances.pay_balance(w.client, D("3"), "cash", key=k)),
        ("reverse", lambda k: desk.balances.reverse_entry(first.entry.id, "Undo", key=k)),
    ]
    for name, write in writes:
        key = new_key()
        entries = await count(ctx, LedgerEntry)
        armed = lose_the_commit_answer(monkeypatch, committed=committed)
        if committed:
            answer = await write(key)
            assert not armed and not getattr(answer, "replayed", True), name
            assert await count(ctx, LedgerEntry) == entries + 1, name
        else:
            with pytest.raises(ConnectionLost) as lost:
                await write(key)
            assert not armed, name
            assert_for_the_desk(lost.value, LOST)
            assert await count(ctx, LedgerEntry) == entries, name
        again = await write(key)  # the person tries again, from the same modal
        assert getattr(again, "replayed", None) is committed, name
        assert await count(ctx, LedgerEntry) == entries + 1, name
    await assert_ledger_consistent(ctx)
