"""Checkout service: the order, what it writes, idempotency; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Commission, Membership, Payment, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import InsufficientBalance, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, assert_ledger_consistent, build_world, ledger_rows

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def join_plan(ctx: ServiceContext, w: World, plan: int, key: str = "join") -> None:
    price = D("79.00") if plan == w.plan_auto else D("99.00")
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key=key,
            client_id=w.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=plan),),
            tenders=(TenderInput(method="card", amount=price),),
        ),
    )


async def test_glovora_example_wallet_then_card(ctx: ServiceContext, world: World) -> None:
    """£35 wallet, £90 treatment, 15% membership discount → £76.50 → £41.50 to card."""
    ctx = ctx.as_staff(world.desk)
    await join_plan(ctx, world, world.plan_auto)
    await Desk(ctx).balances.adjust_wallet(
        world.client, D("35"), "Monthly Membership Credit", key=new_key()
    )
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="glovora",
            client_id=world.client,
            lines=(
                LineInput(kind=LineKind.SERVICE, service_id=world.facial, staff_id=world.therapist),
            ),
            use_wallet=True,
            tenders=(TenderInput(method="card", amount=D("41.50")),),
        ),
    )
    assert (result.subtotal, result.membership_discount, result.total) == (
        D("90.00"),
        D("13.50"),
        D("76.50"),
    )
    assert (result.wallet_applied, result.card) == (D("35.00"), D("41.50"))
    assert result.paid_plus_stored == result.total
    summary = await Desk(ctx).clients.summary(world.client)
    assert summary.wallet_balance == D("0.00")
    await assert_ledger_consistent(ctx)


async def test_wallet_is_never_used_unless_asked(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).balances.adjust_wallet(world.client, D("100"), "Goodwill", key=new_key())
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).till.complete(
            CheckoutInput(
                idempotency_key="k",
                client_id=world.client,
                lines=(LineInput(kind=LineKind.SERVICE, service_id=world.facial),),
            ),
        )
    assert err.value.field == "tenders"
    assert (await Desk(ctx).clients.summary(world.client)).wallet_balance == D("100.00")


async def test_prepaid_sale_credits_purchased_minus_used_and_redeem_is_free(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    sale = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="sale",
            client_id=world.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE,
                    service_id=world.massage,
                    quantity=5,
                    qty_used=1,
                    staff_id=world.therapist,
                ),
            ),
            tenders=(TenderInput(method="cash", amount=D("400.00")),),
        ),
    )
    assert sale.total == D("400.00")  # £80 per visit × Qty Prch 5
    assert sale.prepaid_added == (("Deep Tissue Massage", 4),)  # the "popup"
    redeem = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="redeem",
            client_id=world.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_REDEEM, service_id=world.massage, staff_id=world.therapist
                ),
            ),
        ),
    )
    assert redeem.total == D("0.00") and redeem.lines[0].net == D("0.00")
    (item,) = await Desk(ctx).prepaid.items(world.client)
    assert (item.purchased, item.used, item.remaining) == (4, 1, 3)
    before = await ledger_rows(ctx)
    with pytest.raises(InsufficientBalance):
        await Desk(ctx).till.complete(
            CheckoutInput(
                idempotency_key="too-many",
                client_id=world.client,
                lines=(
                    LineInput(kind=LineKind.PREPAID_REDEEM, service_id=world.massage, quantity=4),
                ),
            ),
        )
    assert await ledger_rows(ctx) == before
    adjusted = await Desk(ctx).prepaid.adjust(
        item.account_id, 5, "Count was wrong at sale", key=new_key()
    )
    assert adjusted.remaining == 5
    reasons = [e.reason for e in await Desk(ctx).prepaid.history(item.account_id)]
    assert reasons == ["adjust", "redeem", "sale"]
    assert await Desk(ctx).prepaid.items(world.other_client, active_only=True) == ()
    # Single commission system: nothing for the sale itself, earned when performed.
    async with ctx.read() as s:
        kinds = (await s.execute(select(Commission.kind, Commission.amount_minor))).all()
    assert sorted(kinds) == [("redeem", 800), ("redeem", 800)]
    await assert_ledger_consistent(ctx)


async def test_package_banks_units_only_when_tracking_is_on(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="pkg",
            client_id=world.client,
            lines=(
                LineInput(kind=LineKind.PRODUCT, package_id=world.package),
                LineInput(kind=LineKind.PRODUCT, product_id=world.serum),
            ),
            tenders=(TenderInput(method="card", amount=D("445.00")),),
        ),
    )
    assert result.units_banked == (("Botox", 50),)
    summary = await Desk(ctx).clients.summary(world.client)
    assert [(b.product_name, b.units) for b in summary.banked] == [("Botox", 50)]


async def test_banking_off_sells_plainly(db_url: str) -> None:
    ctx = ServiceContext.create(create_engine(db_url), terminal="t")
    try:
        w = await build_world(ctx, future_product_usage=False)
        ctx = ctx.as_staff(w.desk)
        result = await Desk(ctx).till.complete(
            CheckoutInput(
                idempotency_key="pkg",
                client_id=w.client,
                lines=(LineInput(kind=LineKind.PRODUCT, package_id=w.package),),
                tenders=(TenderInput(method="card", amount=D("400.00")),),
            ),
        )
        assert result.units_banked == ()
        with pytest.raises(ValidationError):
            await Desk(ctx).till.complete(
                CheckoutInput(
                    idempotency_key="bank",
                    client_id=w.client,
                    lines=(
                        LineInput(
                            kind=LineKind.BANKED_UNITS_PURCHASE, product_id=w.botox, quantity=5
                        ),
                    ),
                    tenders=(TenderInput(method="card", amount=D("45.00")),),
                ),
            )
    finally:
        await ctx.dispose()


async def test_account_credit_not_against_first_plan_payment(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).balances.issue_account_credit(
        world.client, D("500"), "Prepaid credit", key=new_key()
    )
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="first",
            client_id=world.client,
            lines=(
                LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=world.plan_auto),
                LineInput(kind=LineKind.SERVICE, service_id=world.facial),
            ),
            use_account_credit=True,
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        ),
    )
    assert result.account_credit_applied == D("90.00")
    assert result.card == D("79.00")
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Membership)) == 1


async def test_auto_renewal_credits_the_beauty_bank(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await join_plan(ctx, world, world.plan_auto)
    async with ctx.read() as s:
        membership_id = await s.scalar(select(Membership.id))
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="renew",
            client_id=world.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_RENEWAL, membership_id=membership_id),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        ),
    )
    assert result.wallet_credited == D("50.00")
    assert (await Desk(ctx).clients.summary(world.client)).wallet_balance == D("50.00")


async def test_same_key_twice_charges_once(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    data = CheckoutInput(
        idempotency_key="ticket-123",
        client_id=world.client,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=world.facial),),
        tenders=(TenderInput(method="cash", amount=D("100.00")),),
    )
    first = await Desk(ctx).till.complete(data)
    rows = await ledger_rows(ctx)
    again = await Desk(ctx).till.complete(data)
    assert again.replayed and not first.replayed
    assert again.ticket_id == first.ticket_id and again.change == D("10.00")
    assert await ledger_rows(ctx) == rows
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Payment)) == 1


async def test_same_key_concurrently_from_two_terminals_charges_once(
    db_url: str, world: World, ctx: ServiceContext
) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).balances.adjust_wallet(world.client, D("90"), "Goodwill", key=new_key())
    desks = [
        ServiceContext.create(create_engine(db_url), terminal=f"desk-{i}", staff_id=world.desk)
        for i in (1, 2)
    ]
    data = CheckoutInput(
        idempotency_key="double-tap",
        client_id=world.client,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=world.facial),),
        use_wallet=True,
    )
    try:
        results = await asyncio.gather(
            *(Desk(d).till.complete(data) for d in desks for _ in range(2))
        )
    finally:
        for d in desks:
            await d.dispose()
    assert len({r.ticket_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Ticket)) == 1
    assert (await Desk(ctx).clients.summary(world.client)).wallet_balance == D("0.00")
    await assert_ledger_consistent(ctx)


async def test_refund_gives_back_wallet_visits_and_units(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.manager)
    await Desk(ctx).balances.adjust_wallet(world.client, D("20"), "Goodwill", key=new_key())
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="to-refund",
            client_id=world.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=3, qty_used=0
                ),
                LineInput(kind=LineKind.BANKED_UNITS_PURCHASE, product_id=world.botox, quantity=10),
            ),
            use_wallet=True,
            tenders=(TenderInput(method="card", amount=D("310.00")),),
        ),
    )
    assert result.total == D("330.00")
    written = await Desk(ctx).till.reverse(result.ticket_id, "Client changed their mind")
    assert written == 3
    summary = await Desk(ctx).clients.summary(world.client)
    assert summary.wallet_balance == D("20.00") and summary.prepaid == () and summary.banked == ()
    with pytest.raises(ValidationError):
        await Desk(ctx).till.reverse(result.ticket_id, "again")
    async with ctx.read() as s:
        net = await s.scalar(select(func.sum(Payment.amount_minor - Payment.change_minor)))
    assert net == 0
    await assert_ledger_consistent(ctx)


async def test_appointment_checkout_charges_buy_units_and_banks_buy_more(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    from frontdesk.views.addons import AddonSelection
    from tests.services.factories import bank_units, make_appointment

    await bank_units(ctx, client_id=world.client, product_id=world.botox, units=10)
    appt = await make_appointment(
        ctx,
        client_id=world.client,
        service_id=world.botox_service,
        staff_id=world.therapist,
        location_id=world.location,
    )
    await Desk(ctx).addons.add_to_service(
        appt.id, [AddonSelection(world.botox, 10, 5, expected_owned=10)], key=new_key()
    )
    await Desk(ctx).addons.buy_more(appt.id, world.botox, 20)
    visit = CheckoutInput(idempotency_key="visit", client_id=world.client, appointment_id=appt.id)
    due = await Desk(ctx).till.quote(visit)
    # £250 service + 10 units from the bank at 0.00 + 5 bought at £9 + 20 to bank at £9
    assert [line.net for line in due.lines] == [D("250.00"), D("0.00"), D("45.00"), D("180.00")]
    assert due.total == D("475.00")
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="visit",
            client_id=world.client,
            appointment_id=appt.id,
            tenders=(TenderInput(method="card", amount=D("475.00")),),
        ),
    )
    assert result.total == D("475.00") and result.units_banked == (("Botox", 20),)
    summary = await Desk(ctx).clients.summary(world.client)
    assert [(b.product_name, b.units) for b in summary.banked] == [("Botox", 20)]
    with pytest.raises(ValidationError):  # completed: nothing more to pay
        await Desk(ctx).till.quote(visit)
    await assert_ledger_consistent(ctx)
