"""LedgerBatch (bulk posting for the demo seed) keeps post()'s rules, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.db.ledger import Actor, LedgerBatch, get_or_create_account
from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.domain.errors import InsufficientBalance
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services.context import ServiceContext
from tests.services.factories import make_client, make_staff, make_store


async def manager(ctx: ServiceContext) -> Actor:
    """A manager at the batch's terminal: adjusts, and may take a balance below zero."""
    staff = await make_staff(ctx, name="Max Manager", role="manager")
    return Actor(staff_id=staff.id, terminal="batch-test")


async def test_entries_run_and_the_cached_balance_is_written_on_flush(
    ctx: ServiceContext,
) -> None:
    await make_store(ctx)
    client = await make_client(ctx)
    actor = await manager(ctx)
    async with ctx.transaction() as session:
        account = await get_or_create_account(session, client.id, StoredValueKind.WALLET_MONEY)
        batch = LedgerBatch(session, actor)
        await batch.lock([account.id])
        for amount in (5_000, -1_500, 2_000):
            await batch.post(account.id, amount, reason="adjust", description="test")
        await batch.flush()
    async with ctx.read() as session:
        entries = (
            await session.scalars(
                select(LedgerEntry)
                .where(LedgerEntry.account_id == account.id)
                .order_by(LedgerEntry.id)
            )
        ).all()
        cached = await session.scalar(
            select(StoredValueAccount.balance).where(StoredValueAccount.id == account.id)
        )
    assert [e.balance_after for e in entries] == [5_000, 3_500, 5_500]
    assert cached == sum(e.amount for e in entries) == 5_500


async def test_refuses_zero_and_going_below_zero_unless_allowed(ctx: ServiceContext) -> None:
    await make_store(ctx)
    client = await make_client(ctx)
    actor = await manager(ctx)
    async with ctx.transaction() as session:
        account = await get_or_create_account(session, client.id, StoredValueKind.PRODUCT_UNITS)
        batch = LedgerBatch(session, actor)
        await batch.post(account.id, 10, reason="bank", description="ten units")
        with pytest.raises(ValueError):
            await batch.post(account.id, 0, reason="adjust", description="nothing")
        with pytest.raises(InsufficientBalance):
            await batch.post(account.id, -11, reason="use", description="too many")
        await batch.post(account.id, -11, reason="adjust", description="ok", allow_negative=True)
        await batch.flush()
        cached = await session.scalar(
            select(StoredValueAccount.balance).where(StoredValueAccount.id == account.id)
        )
    assert cached == -1
