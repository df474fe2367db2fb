"""The database moves an account when an entry goes in (migration 0022), on SQLite and
PostgreSQL: the account's cached `balance` and `last_hash` become the inserted entry's
`balance_after` and `entry_hash`; several entries for one account in one INSERT end on
the last; the posters send no UPDATE of their own and keep the session's account rows
in step; the chain the verifier walks is whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import LedgerBatch
from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from tests.services.tamper import build_small_ledger
from tests.statements import count_statements

ENTRIES: Table = LedgerEntry.__table__  # type: ignore[assignment]


async def _account(ctx: ServiceContext, account_id: int) -> tuple[int, str | None]:
    async with ctx.read() as s:
        row = (
            await s.execute(
                select(StoredValueAccount.balance, StoredValueAccount.last_hash).where(
                    StoredValueAccount.id == account_id
                )
            )
        ).one()
        return row.balance, row.last_hash


def _rows(account_id: int, start: int, amounts: list[int]) -> list[dict[str, Any]]:
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows: list[dict[str, Any]] = []
    balance = start
    for i, amount in enumerate(amounts):
        balance += amount
        rows.append(
            {
                "account_id": account_id,
                "amount": amount,
                "balance_after": balance,
                "reason": "adjust",
                "description": f"raw {i}",
                "terminal": "raw",
                "created_at": when + dt.timedelta(minutes=i),
            }
        )
    return rows


async def test_an_entry_inserted_moves_its_accounts_balance_and_head(
    ctx: ServiceContext,
) -> None:
    small = await build_small_ledger(ctx)
    before, _ = await _account(ctx, small.empty)
    assert before == 0
    async with ctx.transaction() as session:
        rows = _rows(small.empty, 0, [1_234])
        last_hash = ledger.chain_rows(rows)
        # Only the INSERT: no UPDATE of the account is sent.
        await session.execute(insert(ENTRIES), rows)
    assert await _account(ctx, small.empty) == (1_234, last_hash)
    audit = await verify_ledger(ctx)
    assert audit.whole and audit.entries == small.count + 1, audit


async def test_one_insert_of_several_entries_for_one_account_ends_on_the_last(
    ctx: ServiceContext,
) -> None:
    """One statement, many rows (as a batch's flush sends them): each row fires in
    insertion order, so the last row's balance and hash are the account's. The amounts
    rise then fall, so any other row's balance would be seen."""
    small = await build_small_ledger(ctx)
    wallet_before, wallet_hash = await _account(ctx, small.wallet)
    credit_before, credit_hash = await _account(ctx, small.credit)
    wallet_rows = _rows(small.wallet, wallet_before, [900, 50, -700, 5, -3])
    credit_rows = _rows(small.credit, credit_before, [-10, 400, 1])
    wallet_last = ledger.chain_rows(wallet_rows, wallet_hash or "")
    credit_last = ledger.chain_rows(credit_rows, credit_hash or "")
    # Interleaved, as a ticket's entries for several accounts are.
    rows = [r for pair in zip(wallet_rows, credit_rows, strict=False) for r in pair]
    rows += wallet_rows[len(credit_rows) :]
    async with ctx.transaction() as session:
        with count_statements(ctx.engine) as seen:
            await session.execute(insert(ENTRIES).values(rows))
    assert seen.proper == 1, seen.report()
    assert await _account(ctx, small.wallet) == (wallet_before + 252, wallet_last)
    assert await _account(ctx, small.credit) == (credit_before + 391, credit_last)


async def _held(session: AsyncSession, account_id: int) -> StoredValueAccount:
    account = await session.get(StoredValueAccount, account_id)
    assert account is not None
    return account


async def test_a_posting_sends_no_update_and_keeps_the_held_account_in_step(
    ctx: ServiceContext,
) -> None:
    small = await build_small_ledger(ctx)
    before, _ = await _account(ctx, small.wallet)
    async with ctx.transaction() as session:
        held = await _held(session, small.wallet)
        with count_statements(ctx.engine) as seen:
            entry = await ledger.post(
                session,
                small.wallet,
                -300,
                reason="adjust",
                description="spent",
                actor=small.actor,
            )
        assert seen.kinds["UPDATE"] == 0, seen.report()
        # The session's row says what the database now says, without a read.
        assert (held.balance, held.last_hash) == (before - 300, entry.entry_hash)
    assert await _account(ctx, small.wallet) == (before - 300, entry.entry_hash)
    audit = await verify_ledger(ctx)
    assert audit.whole, audit


async def test_a_batch_of_several_entries_for_one_account_ends_on_the_last(
    ctx: ServiceContext,
) -> None:
    small = await build_small_ledger(ctx)
    before, _ = await _account(ctx, small.wallet)
    async with ctx.transaction() as session:
        held = await _held(session, small.wallet)
        batch = LedgerBatch(session, small.actor)
        await batch.lock([small.wallet, small.credit])
        posted: list[LedgerEntry] = []
        for account_id, amount in [
            (small.wallet, 800),
            (small.credit, 40),
            (small.wallet, -600),
            (small.wallet, 25),
        ]:
            posted.append(
                await batch.post(account_id, amount, reason="adjust", description="batch")
            )
        with count_statements(ctx.engine) as seen:
            await batch.flush()
        assert seen.kinds["UPDATE"] == 0, seen.report()
        assert (held.balance, held.last_hash) == (before + 225, posted[-1].entry_hash)
    assert await _account(ctx, small.wallet) == (before + 225, posted[-1].entry_hash)
    assert (await _account(ctx, small.credit))[1] == posted[1].entry_hash
    audit = await verify_ledger(ctx)
    assert audit.whole and audit.entries == small.count + 4, audit
