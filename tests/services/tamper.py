"""Tampering with the ledger the way someone with the database's password could: a small
ledger to work on, raw SQL with the append-only triggers dropped, and the triggers put
back afterwards (the PostgreSQL test database is shared by the tests of one worker)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db import ledger
from frontdesk.db.ledger import get_or_create_account
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.migrations.append_only import create_statements, drop_statements
from frontdesk.services.context import ServiceContext
from tests.services.factories import make_client, make_staff, make_store

# Every column but the id: what "swapping two entries' contents" moves.
CONTENT_COLUMNS = (
    "account_id",
    "amount",
    "balance_after",
    "reason",
    "description",
    "staff_id",
    "approved_by",
    "terminal",
    "created_at",
    "ticket_id",
    "appointment_id",
    "reverses_entry_id",
    "entry_hash",
)


@dataclass(frozen=True)
class SmallLedger:
    """Three accounts: a wallet with five entries, an account balance with three, and
    an empty wallet of another client. `entries` maps account id to its entry ids;
    `actor` wrote them."""

    wallet: int
    credit: int
    empty: int
    entries: dict[int, list[int]]
    actor: ledger.Actor

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.entries.values())


async def build_small_ledger(ctx: ServiceContext) -> SmallLedger:
    await make_store(ctx)
    staff = await make_staff(ctx)
    client = await make_client(ctx)
    other = await make_client(ctx, first_name="Bo")
    actor = ledger.Actor(staff_id=staff.id, terminal="till-1")
    async with ctx.transaction() as session:
        wallet = await get_or_create_account(session, client.id, StoredValueKind.WALLET_MONEY)
        credit = await get_or_create_account(session, client.id, StoredValueKind.ACCOUNT_MONEY)
        empty = await get_or_create_account(session, other.id, StoredValueKind.WALLET_MONEY)
    entries: dict[int, list[int]] = {wallet.id: [], credit.id: [], empty.id: []}
    plan = [
        (wallet.id, 5_000),
        (credit.id, -2_000),
        (wallet.id, -1_500),
        (wallet.id, 700),
        (credit.id, 2_500),
        (wallet.id, -200),
        (credit.id, 100),
        (wallet.id, 1_000),
    ]
    for account_id, amount in plan:  # one transaction each, as terminals post them
        async with ctx.transaction() as session:
            entry = await ledger.post(
                session,
                account_id,
                amount,
                reason="adjust",
                description=f"move {amount}",
                actor=actor,
                allow_negative=True,
                approved_by=staff.id if abs(amount) > 2_000 else None,
            )
            entries[account_id].append(entry.id)
    return SmallLedger(wallet.id, credit.id, empty.id, entries, actor)


async def run_sql(engine: AsyncEngine, *statements: str, **params: Any) -> None:
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement), params)


@asynccontextmanager
async def triggers_dropped(ctx: ServiceContext) -> AsyncIterator[None]:
    """Raw UPDATE and DELETE on entries work inside; the triggers are back after."""
    dialect = ctx.engine.dialect.name
    await run_sql(ctx.engine, *drop_statements(dialect))
    try:
        yield
    finally:
        await run_sql(ctx.engine, *create_statements(dialect))


async def swap_contents(ctx: ServiceContext, first: int, second: int) -> None:
    """Two entries trade everything but their ids: the same rows, in the other order."""
    columns = ", ".join(CONTENT_COLUMNS)
    async with ctx.engine.begin() as conn:
        rows = {
            row[0]: row[1:]
            for row in await conn.execute(
                text(f"SELECT id, {columns} FROM ledger_entries WHERE id IN (:a, :b)"),
                {"a": first, "b": second},
            )
        }
        # reverses_entry_id is unique; clear both before writing either.
        await conn.execute(
            text("UPDATE ledger_entries SET reverses_entry_id = NULL WHERE id IN (:a, :b)"),
            {"a": first, "b": second},
        )
        assignments = ", ".join(f"{c} = :{c}" for c in CONTENT_COLUMNS)
        for target, source in ((first, second), (second, first)):
            values = dict(zip(CONTENT_COLUMNS, rows[source], strict=True))
            await conn.execute(
                text(f"UPDATE ledger_entries SET {assignments} WHERE id = :id"),
                {**values, "id": target},
            )
