"""The ledger's hash chain (docs/rules.md#the-ledger, L10), on SQLite and PostgreSQL:
entries edited, deleted or reordered with raw SQL (the triggers dropped first) are found
by the verifier, which names the entry; a whole ledger passes with its count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, insert, select, update
from sqlalchemy.exc import DBAPIError

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor, LedgerBatch, get_or_create_account
from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.ledger_hash import FIELDS, GENESIS, EntryContent, entry_hash
from frontdesk.services.audit import (
    CACHE_OFF,
    CHANGED,
    HASH_AHEAD,
    OUT_OF_PLACE,
    Break,
    verify_ledger,
)
from frontdesk.services.context import ServiceContext
from tests.services.factories import make_client, make_staff, make_store
from tests.services.tamper import (
    SmallLedger,
    build_small_ledger,
    run_sql,
    swap_contents,
    triggers_dropped,
)


@pytest.fixture
async def small(ctx: ServiceContext) -> SmallLedger:
    return await build_small_ledger(ctx)


async def broken(ctx: ServiceContext) -> Break:
    audit = await verify_ledger(ctx)
    assert audit.broken is not None, audit
    return audit.broken


async def test_a_whole_ledger_passes_with_its_count(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    audit = await verify_ledger(ctx)
    assert audit.whole
    assert (audit.entries, audit.accounts) == (8, 3) == (small.count, len(small.entries))
    assert str(audit) == "ledger whole: 8 entries in 3 accounts"


async def test_an_empty_ledger_is_whole(ctx: ServiceContext) -> None:
    audit = await verify_ledger(ctx)
    assert audit.whole and (audit.entries, audit.accounts) == (0, 0)


async def test_the_triggers_are_back_after_tampering(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    async with triggers_dropped(ctx):
        await run_sql(ctx.engine, "UPDATE ledger_entries SET terminal = 'x' WHERE id = 0")
    with pytest.raises(DBAPIError, match="append-only"):
        await run_sql(ctx.engine, "DELETE FROM ledger_entries")


@pytest.mark.parametrize(
    ("column", "value"), [("description", "move 7000"), ("terminal", "till-9"), ("staff_id", None)]
)
async def test_an_edited_entry_is_found(
    ctx: ServiceContext, small: SmallLedger, column: str, value: Any
) -> None:
    target = small.entries[small.wallet][2]
    async with triggers_dropped(ctx):
        await run_sql(
            ctx.engine,
            f"UPDATE ledger_entries SET {column} = :v WHERE id = :id",
            v=value,
            id=target,
        )
    assert await broken(ctx) == Break(account_id=small.wallet, entry_id=target, problem=CHANGED)


async def test_an_edited_amount_is_found_at_that_entry(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    before, target = small.entries[small.wallet][1:3]
    async with triggers_dropped(ctx):
        await run_sql(
            ctx.engine, "UPDATE ledger_entries SET amount = 7000 WHERE id = :id", id=target
        )
    found = await broken(ctx)
    assert (found.account_id, found.entry_id) == (small.wallet, target)
    assert found.problem == OUT_OF_PLACE.format(after=f"entry {before}")
    assert str(found).startswith(f"broken at ledger entry {target} (account {small.wallet}): ")


async def test_an_edited_amount_with_its_balances_is_found_by_the_hash(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    """The careful tamperer keeps the running balance right; the hash still differs."""
    ids = small.entries[small.wallet]
    async with triggers_dropped(ctx):
        await run_sql(
            ctx.engine,
            "UPDATE ledger_entries SET amount = amount + 100 WHERE id = :id",
            "UPDATE ledger_entries SET balance_after = balance_after + 100 "
            "WHERE account_id = :account AND id >= :id",
            "UPDATE stored_value_accounts SET balance = balance + 100 WHERE id = :account",
            id=ids[1],
            account=small.wallet,
        )
    assert await broken(ctx) == Break(account_id=small.wallet, entry_id=ids[1], problem=CHANGED)


async def test_a_deleted_middle_entry_is_found_at_the_next(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    ids = small.entries[small.credit]
    async with triggers_dropped(ctx):
        await run_sql(ctx.engine, "DELETE FROM ledger_entries WHERE id = :id", id=ids[1])
    found = await broken(ctx)
    assert found == Break(
        account_id=small.credit,
        entry_id=ids[2],
        problem=OUT_OF_PLACE.format(after=f"entry {ids[0]}"),
    )


async def test_a_deleted_first_entry_is_found_at_the_next(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    ids = small.entries[small.wallet]
    async with triggers_dropped(ctx):
        await run_sql(ctx.engine, "DELETE FROM ledger_entries WHERE id = :id", id=ids[0])
    found = await broken(ctx)
    assert (found.account_id, found.entry_id) == (small.wallet, ids[1])
    assert "does not follow the start of its account" in found.problem


async def test_a_deleted_newest_entry_is_found_by_the_account(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    ids = small.entries[small.wallet]
    async with triggers_dropped(ctx):
        await run_sql(ctx.engine, "DELETE FROM ledger_entries WHERE id = :id", id=ids[-1])
    found = await broken(ctx)
    assert found == Break(
        account_id=small.wallet, entry_id=None, problem=HASH_AHEAD.format(newest=f"entry {ids[-2]}")
    )
    assert str(found) == (
        f"broken at account {small.wallet}: its last hash does not match its newest entry "
        f"(entry {ids[-2]}): an entry was removed from its end, or the account was changed"
    )


async def test_every_entry_of_an_account_deleted_is_found(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    async with triggers_dropped(ctx):
        await run_sql(
            ctx.engine, "DELETE FROM ledger_entries WHERE account_id = :a", a=small.credit
        )
    found = await broken(ctx)
    assert (found.account_id, found.entry_id) == (small.credit, None)
    assert found.problem == HASH_AHEAD.format(newest="it has none")


@pytest.mark.parametrize("pair", [(0, 1), (1, 2), (3, 4), (0, 4)])
async def test_two_entries_reordered_are_found_at_the_first(
    ctx: ServiceContext, small: SmallLedger, pair: tuple[int, int]
) -> None:
    ids = small.entries[small.wallet]
    first, second = ids[pair[0]], ids[pair[1]]
    async with triggers_dropped(ctx):
        await swap_contents(ctx, first, second)
    found = await broken(ctx)
    assert (found.account_id, found.entry_id) == (small.wallet, first)


async def test_an_entry_moved_to_another_account_is_found(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    """Swapped with an entry of another account, it is missing from its own chain."""
    wallet, credit = small.entries[small.wallet], small.entries[small.credit]
    async with triggers_dropped(ctx):
        await swap_contents(ctx, wallet[1], credit[1])
    found = await broken(ctx)
    assert small.wallet < small.credit
    assert found == Break(
        account_id=small.wallet,
        entry_id=wallet[2],
        problem=OUT_OF_PLACE.format(after=f"entry {wallet[0]}"),
    )


async def test_a_cached_balance_changed_is_found(ctx: ServiceContext, small: SmallLedger) -> None:
    newest = small.entries[small.credit][-1]
    await run_sql(
        ctx.engine, "UPDATE stored_value_accounts SET balance = 0 WHERE id = :a", a=small.credit
    )
    assert await broken(ctx) == Break(
        account_id=small.credit, entry_id=None, problem=CACHE_OFF.format(newest=f"entry {newest}")
    )


async def test_a_last_hash_on_an_account_without_entries_is_found(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    await run_sql(
        ctx.engine,
        "UPDATE stored_value_accounts SET last_hash = :h WHERE id = :a",
        h="0" * 64,
        a=small.empty,
    )
    assert await broken(ctx) == Break(
        account_id=small.empty, entry_id=None, problem=HASH_AHEAD.format(newest="it has none")
    )


async def test_posting_stays_two_statements(ctx: ServiceContext, small: SmallLedger) -> None:
    """The chain rides on the posting's own statements: locked read, INSERT (whose
    trigger moves the account's balance and last_hash, migration 0022)."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split()[0].upper())

    async with ctx.transaction() as session:
        event.listen(ctx.engine.sync_engine, "after_cursor_execute", seen)
        try:
            await ledger.post(
                session,
                small.wallet,
                300,
                reason="adjust",
                description="counted",
                actor=small.actor,
            )
        finally:
            event.remove(ctx.engine.sync_engine, "after_cursor_execute", seen)
    assert statements == ["SELECT", "INSERT"]
    assert (await verify_ledger(ctx)).entries == small.count + 1


async def test_a_hash_is_the_same_on_both_engines(ctx: ServiceContext) -> None:
    """A time given in another zone is written in UTC, so what each engine hands back
    hashes to what was computed from the values given, whichever the engine."""
    await make_store(ctx)
    client = await make_client(ctx)
    staff = await make_staff(ctx)
    when = dt.datetime(2026, 3, 11, 15, 0, 0, 7, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))
    async with ctx.transaction() as session:
        account = await get_or_create_account(session, client.id, StoredValueKind.WALLET_MONEY)
        written = await ledger.post(
            session,
            account.id,
            1_234,
            reason="adjust",
            description="Café crème ☕ \"quoted\", 'single'",
            actor=Actor(staff_id=staff.id, terminal="till:1"),
            when=when,
        )
    expected = entry_hash(
        EntryContent(
            account_id=account.id,
            amount=1_234,
            balance_after=1_234,
            reason="adjust",
            description="Café crème ☕ \"quoted\", 'single'",
            staff_id=staff.id,
            approved_by=None,
            terminal="till:1",
            created_at=dt.datetime(2026, 3, 11, 9, 30, 0, 7, tzinfo=dt.UTC),
            ticket_id=None,
            appointment_id=None,
            reverses_entry_id=None,
        ),
        GENESIS,
    )
    async with ctx.read() as session:
        row = await session.get_one(LedgerEntry, written.id)
        last = await session.scalar(
            select(StoredValueAccount.last_hash).where(StoredValueAccount.id == account.id)
        )
    read_back = EntryContent(**{name: getattr(row, name) for name in FIELDS})
    assert row.entry_hash == last == expected == entry_hash(read_back, GENESIS)


async def test_batch_and_single_postings_chain_together(ctx: ServiceContext) -> None:
    await make_store(ctx)
    one, two = await make_client(ctx), await make_client(ctx)
    owner = await make_staff(ctx, name="Olu Owner", role="owner")  # the demo seed's actor
    actor = Actor(staff_id=owner.id, terminal="seed")
    async with ctx.transaction() as session:
        a = await get_or_create_account(session, one.id, StoredValueKind.PRODUCT_UNITS)
        b = await get_or_create_account(session, two.id, StoredValueKind.PRODUCT_UNITS)
        batch = LedgerBatch(session, actor)
        await batch.lock([a.id, b.id])
        for account_id, amount in [(a.id, 5), (b.id, 3), (a.id, -2), (b.id, -1), (a.id, 4)]:
            await batch.post(account_id, amount, reason="bank", description="batched")
        await batch.flush()
        await ledger.post(session, b.id, 6, reason="bank", description="after", actor=actor)
    audit = await verify_ledger(ctx)
    assert audit.whole and (audit.entries, audit.accounts) == (6, 2), audit


async def test_rows_inserted_in_bulk_chain_on_from_the_account(
    ctx: ServiceContext, small: SmallLedger
) -> None:
    """`chain_rows` (bulk imports, test fixtures) continues an account's chain."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    async with ctx.transaction() as session:
        head = (await ledger.lock_heads(session, [small.wallet]))[small.wallet]
        rows: list[dict[str, Any]] = [
            {
                "account_id": small.wallet,
                "amount": 10,
                "balance_after": head.balance + 10 * (i + 1),
                "reason": "adjust",
                "description": f"bulk {i}",
                "terminal": "bulk",
                "created_at": start + dt.timedelta(minutes=i),
            }
            for i in range(50)
        ]
        last_hash = ledger.chain_rows(rows, head.last_hash)
        await session.execute(insert(LedgerEntry), rows)
        await session.execute(
            update(StoredValueAccount)
            .where(StoredValueAccount.id == small.wallet)
            .values(balance=head.balance + 500, last_hash=last_hash)
        )
    audit = await verify_ledger(ctx)
    assert audit.whole and audit.entries == small.count + 50, audit
