"""Account credit never pays a plan's first payment, and does pay a later one
(`NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS`); on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import Membership, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    world = await build_world(ctx)
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.issue_account_credit(
        world.client, D("500"), "Prepaid credit", key=new_key()
    )
    return world


def first_payment(w: World, key: str, *tenders: TenderInput) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto),),
        use_account_credit=True,
        tenders=tenders,
    )


async def test_account_credit_is_refused_on_a_first_plan_payment(
    ctx: ServiceContext, world: World
) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    quote = await desk.till.quote(first_payment(world, "q"))
    assert (quote.account_credit_available, quote.account_credit_applied) == (D("500.00"), D(0))
    assert quote.due == D("79.00")
    # Counting on the credit to pay it is refused, and writes nothing.
    with pytest.raises(ValidationError):
        await desk.till.complete(first_payment(world, "credit-only"))
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Ticket)) == 0
        assert await s.scalar(select(func.count()).select_from(Membership)) == 0
    result = await desk.till.complete(
        first_payment(world, "card", TenderInput(method="card", amount=D("79.00")))
    )
    assert (result.account_credit_applied, result.card) == (D(0), D("79.00"))
    assert (await desk.clients.summary(world.client)).account_balance == D("500.00")
    await assert_ledger_consistent(ctx)


async def test_account_credit_pays_a_later_plan_payment(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.till.complete(
        first_payment(world, "join", TenderInput(method="card", amount=D("79.00")))
    )
    async with ctx.read() as s:
        membership_id = await s.scalar(select(Membership.id))
    renewal = CheckoutInput(
        idempotency_key="renew",
        client_id=world.client,
        lines=(LineInput(kind=LineKind.MEMBERSHIP_RENEWAL, membership_id=membership_id),),
        use_account_credit=True,
    )
    assert (await desk.till.quote(renewal)).due == D(0)
    result = await desk.till.complete(renewal)
    assert (result.account_credit_applied, result.card, result.tendered) == (
        D("79.00"),
        D(0),
        D(0),
    )
    assert (await desk.clients.summary(world.client)).account_balance == D("421.00")
    await assert_ledger_consistent(ctx)
