"""Every race ends in a domain error (issue 15, item 3), with real concurrent terminals.

Each "terminal" is its own engine and connection pool on one database, and the racers
run at once (`asyncio.gather`), so on PostgreSQL their transactions truly overlap (on
SQLite BEGIN IMMEDIATE queues them: the same answers, one at a time):

* racing first credits of a client: every one lands, on the one account;
* racing spends of one Beauty Bank: exactly the affordable ones win, every loser gets
  `InsufficientBalance`;
* racing reversals of one entry: one wins, every other gets `AlreadyReversed`;
* racing refunds of one ticket: one wins, every other is told it was already refunded.

And no loser ever sees the driver's text (`IntegrityError`, `asyncpg`, `sqlite3`...).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import StoredValueAccount
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import (
    AlreadyReversed,
    DomainError,
    InsufficientBalance,
    ValidationError,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import make_client
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
TERMINALS = 6
ROUNDS = 4
DRIVER_WORDS = (
    "IntegrityError",
    "asyncpg",
    "sqlite3",
    "psycopg",
    "Traceback",
    "another operation is in progress",
    "UniqueViolation",
    "duplicate key",
    "UNIQUE constraint",
)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


@asynccontextmanager
async def terminals(url: str, staff_id: int, count: int = TERMINALS) -> AsyncIterator[list[Desk]]:
    """`count` terminals, each with its own engine, connected before the race starts."""
    desks = [
        Desk(ServiceContext.create(create_engine(url), terminal=f"race-{n}", staff_id=staff_id))
        for n in range(count)
    ]
    try:
        await asyncio.gather(*(d.staff.mine() for d in desks))  # each pool has a connection
        yield desks
    finally:
        for desk in desks:
            await desk.close()


async def race(calls: Sequence[Awaitable[Any]]) -> list[Any]:
    """Run every call at once; an exception is returned as the call's outcome."""
    return list(await asyncio.gather(*calls, return_exceptions=True))


def losers(outcomes: list[Any]) -> list[BaseException]:
    lost = [o for o in outcomes if isinstance(o, BaseException)]
    for exc in lost:
        assert isinstance(exc, DomainError), f"{type(exc).__name__}: {exc}"
        assert not any(word in str(exc) for word in DRIVER_WORDS), str(exc)
    return lost


@pytest.mark.parametrize("kind", [StoredValueKind.WALLET_MONEY, StoredValueKind.ACCOUNT_MONEY])
async def test_racing_first_credits_all_land_on_one_account(
    db_url: str, ctx: ServiceContext, world: World, kind: StoredValueKind
) -> None:
    async with terminals(db_url, world.manager) as desks:
        for _ in range(ROUNDS):
            client = (await make_client(ctx, first_name="First", last_name="Credit")).id

            outcomes = await race(
                [
                    desk.balances.adjust_wallet(client, D("10"), "Welcome", key=new_key())
                    if kind is StoredValueKind.WALLET_MONEY
                    else desk.balances.issue_account_credit(
                        client, D("10"), "Welcome", key=new_key()
                    )
                    for desk in desks
                ]
            )
            assert losers(outcomes) == []  # every first credit lands
            summary = await Desk(ctx).clients.summary(client)
            balance = (
                summary.wallet_balance
                if kind is StoredValueKind.WALLET_MONEY
                else summary.account_balance
            )
            assert balance == D(10 * TERMINALS)
            async with ctx.read() as session:
                accounts = await session.scalar(
                    select(func.count())
                    .select_from(StoredValueAccount)
                    .where(StoredValueAccount.client_id == client)
                )
            assert accounts == 1
    await assert_ledger_consistent(ctx)


async def test_racing_first_unit_banks_all_land(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    """Two tickets banking a client's first units at once: both land (the account is
    made inside the checkout, under its own key)."""
    async with terminals(db_url, world.desk) as desks:
        for round_ in range(ROUNDS):
            client = (await make_client(ctx, first_name="First", last_name="Units")).id
            outcomes = await race(
                [
                    desk.till.complete(
                        CheckoutInput(
                            idempotency_key=f"bank-{round_}-{n}",
                            client_id=client,
                            lines=(
                                LineInput(
                                    kind=LineKind.BANKED_UNITS_PURCHASE,
                                    product_id=world.botox,
                                    quantity=2,
                                ),
                            ),
                            tenders=(TenderInput(method="card", amount=D("18")),),
                        )
                    )
                    for n, desk in enumerate(desks)
                ]
            )
            assert losers(outcomes) == []
            (banked,) = (await Desk(ctx).clients.summary(client)).banked
            assert banked.units == 2 * TERMINALS
    await assert_ledger_consistent(ctx)


@pytest.mark.parametrize("how", ["adjust", "checkout"])
async def test_racing_spends_of_one_beauty_bank(
    db_url: str, ctx: ServiceContext, world: World, how: str
) -> None:
    """£30 in the bank, six terminals each spending £10 at once: three win, three are
    told there is not enough, and the bank ends at zero."""
    manager = Desk(ctx.as_staff(world.manager))
    async with terminals(db_url, world.manager) as desks:
        for round_ in range(ROUNDS):
            client = (await make_client(ctx, first_name="Spend", last_name="Race")).id
            await manager.balances.adjust_wallet(client, D("30"), "Float", key=new_key())

            def spend(desk: Desk, key: str, client: int = client) -> Awaitable[Any]:
                if how == "adjust":
                    return desk.balances.adjust_wallet(client, D("-10"), "Spent", key=new_key())
                return desk.till.complete(
                    CheckoutInput(
                        idempotency_key=key,
                        client_id=client,
                        lines=(LineInput(kind=LineKind.SERVICE, service_id=world.facial),),
                        use_wallet=True,
                        wallet_amount=D("10"),
                        tenders=(TenderInput(method="card", amount=D("80")),),
                    )
                )

            outcomes = await race(
                [spend(desk, f"spend-{round_}-{n}") for n, desk in enumerate(desks)]
            )
            lost = losers(outcomes)
            assert len(lost) == TERMINALS - 3, outcomes
            assert all(isinstance(exc, InsufficientBalance) for exc in lost), lost
            assert (await manager.clients.summary(client)).wallet_balance == 0
    await assert_ledger_consistent(ctx)


async def test_racing_reversals_of_one_entry(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    async with terminals(db_url, world.manager) as desks:
        for _ in range(ROUNDS):
            credit = await manager.balances.adjust_wallet(
                world.client, D("25"), "Goodwill", key=new_key()
            )
            entry = credit.entry.id
            outcomes = await race(
                [
                    desk.balances.reverse_entry(entry, "Entered twice", key=new_key())
                    for desk in desks
                ]
            )
            lost = losers(outcomes)
            assert len(lost) == TERMINALS - 1, outcomes
            assert all(isinstance(exc, AlreadyReversed) for exc in lost), lost
            page = await manager.balances.history(world.client, StoredValueKind.WALLET_MONEY)
            reversals = [e for e in page.entries if e.reverses_entry_id == entry]
            assert len(reversals) == 1
    assert (await manager.clients.summary(world.client)).wallet_balance == 0
    await assert_ledger_consistent(ctx)


async def test_racing_refunds_of_one_ticket(db_url: str, ctx: ServiceContext, world: World) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    async with terminals(db_url, world.manager) as desks:
        for round_ in range(ROUNDS):
            sale = await manager.till.complete(
                CheckoutInput(
                    idempotency_key=f"refund-{round_}",
                    client_id=world.client,
                    lines=(
                        LineInput(
                            kind=LineKind.PREPAID_SALE,
                            service_id=world.massage,
                            quantity=2,
                            qty_used=0,
                        ),
                    ),
                    tenders=(TenderInput(method="card", amount=D("160")),),
                )
            )
            outcomes = await race(
                [desk.till.reverse(sale.ticket_id, "Bought by mistake") for desk in desks]
            )
            lost = losers(outcomes)
            assert len(lost) == TERMINALS - 1, outcomes
            assert all(isinstance(exc, ValidationError) for exc in lost), lost
            assert all("already refunded" in str(exc) for exc in lost), lost
    summary = await manager.clients.summary(world.client)
    assert sum(p.visits for p in summary.prepaid) == 0
    await assert_ledger_consistent(ctx)
