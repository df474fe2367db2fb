"""Refunding a ticket (docs/rules.md R6): every stored value comes back, once; on both engines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import (
    Appointment,
    Commission,
    LedgerEntry,
    Membership,
    Payment,
    StoredValueAccount,
    Ticket,
)
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import InsufficientBalance, NotFound, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def balances(ctx: ServiceContext, client_id: int) -> dict[str, int]:
    """Every stored-value balance of the client, by item key ("wallet", "service:3", ...)."""
    async with ctx.read() as s:
        rows = (
            await s.execute(
                select(StoredValueAccount.item_key, StoredValueAccount.balance).where(
                    StoredValueAccount.client_id == client_id
                )
            )
        ).all()
    return {key: balance for key, balance in rows}


async def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    """Ledger entries, payments and commission rows written so far."""
    async with ctx.read() as s:
        return (
            int(await s.scalar(select(func.count()).select_from(LedgerEntry)) or 0),
            int(await s.scalar(select(func.count()).select_from(Payment)) or 0),
            int(await s.scalar(select(func.count()).select_from(Commission)) or 0),
        )


async def sell_massages(ctx: ServiceContext, w: World, key: str = "sale") -> int:
    """Seed 004: 5 massages prepaid at £80, one performed today → 4 visits credited."""
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key=key,
            client_id=w.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE,
                    service_id=w.massage,
                    quantity=5,
                    qty_used=1,
                    staff_id=w.therapist,
                ),
            ),
            tenders=(TenderInput(method="card", amount=D("400.00")),),
        )
    )
    return result.ticket_id


async def test_refund_restores_every_kind_of_stored_value(
    ctx: ServiceContext, world: World
) -> None:
    w = world
    desk = Desk(ctx.as_staff(w.desk))
    manager = Desk(ctx.as_staff(w.manager))  # refunds tickets
    botox, massage, facial = f"product:{w.botox}", f"service:{w.massage}", f"service:{w.facial}"
    await bank_units(desk.ctx, client_id=w.client, product_id=w.botox, units=10)
    await desk.balances.adjust_wallet(w.client, D("50"), "Goodwill", key=new_key())
    await desk.balances.issue_account_credit(
        w.client, D("30"), "Overpaid last visit", key=new_key()
    )
    sale_id = await sell_massages(ctx.as_staff(w.desk), w)
    appt = await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.botox_service,
        staff_id=w.therapist,
        location_id=w.location,
    )
    # Seed 000: owns 10, needs 15 → 10 from the bank, 5 bought; and 20 more to bank.
    await desk.addons.add_to_service(
        appt.id, [AddonSelection(w.botox, 10, 5, expected_owned=10)], key=new_key()
    )
    await desk.addons.buy_more(appt.id, w.botox, 20)
    before_visit = await balances(ctx, w.client)
    assert before_visit == {botox: 0, "wallet": 5000, "account": 3000, massage: 4}

    visit = await desk.till.complete(
        CheckoutInput(
            idempotency_key="visit",
            client_id=w.client,
            appointment_id=appt.id,
            lines=(
                LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage, staff_id=w.therapist),
                LineInput(kind=LineKind.PREPAID_SALE, service_id=w.facial, quantity=3, qty_used=0),
            ),
            use_wallet=True,
            use_account_credit=True,
            tenders=(
                TenderInput(method="card", amount=D("600.00")),
                TenderInput(method="cash", amount=D("70.00")),
            ),
        )
    )
    # £250 + 10 units at 0.00 + 5 × £9 + 20 × £9 + redeemed 0.00 + 3 facials × £90 = £745
    assert (visit.total, visit.wallet_applied, visit.account_credit_applied) == (
        D("745.00"),
        D("50.00"),
        D("30.00"),
    )
    assert visit.change == D("5.00")
    after_visit = await balances(ctx, w.client)
    assert after_visit == {botox: 20, "wallet": 0, "account": 0, massage: 3, facial: 3}
    entries_before, payments_before, commissions_before = await counts(ctx)

    written = await manager.till.reverse(visit.ticket_id, "Client changed their mind")

    # Use units back, banked units out, visit redeemed back, facials sold out, money back.
    assert written == 6
    assert await balances(ctx, w.client) == {
        botox: 10,
        "wallet": 5000,
        "account": 3000,
        massage: 4,
        facial: 0,
    }
    async with ctx.read() as s:
        refunds = (
            (
                await s.execute(
                    select(LedgerEntry)
                    .where(LedgerEntry.reason == "refund")
                    .order_by(LedgerEntry.id)
                )
            )
            .scalars()
            .all()
        )
        originals = {
            e.id: e
            for e in (
                await s.execute(
                    select(LedgerEntry).where(
                        LedgerEntry.id.in_([r.reverses_entry_id for r in refunds])
                    )
                )
            ).scalars()
        }
        payments = (
            await s.execute(
                select(Payment.method, Payment.amount_minor, Payment.change_minor)
                .where(Payment.ticket_id == visit.ticket_id)
                .order_by(Payment.id)
            )
        ).all()
        ticket = await s.get(Ticket, visit.ticket_id)
        appointment = await s.get(Appointment, appt.id)
        commissions = (
            await s.execute(
                select(Commission.kind, Commission.staff_id, Commission.amount_minor)
                .where(Commission.ticket_id == visit.ticket_id)
                .order_by(Commission.id)
            )
        ).all()
    assert len(refunds) == 6 and len(originals) == 6
    by_reason = sorted((originals[r.reverses_entry_id or 0].reason, r.amount) for r in refunds)
    assert by_reason == [
        ("bank", -20),  # units banked on the ticket taken back
        ("checkout_spend", 3000),  # account credit spent
        ("checkout_spend", 5000),  # Beauty Bank spent
        ("redeem", 1),  # visit redeemed comes back
        ("sale", -3),  # facials credited by the sale taken back
        ("use", 10),  # the visit's Use units go back to the bank
    ]
    for r in refunds:
        assert r.ticket_id == visit.ticket_id
        assert (r.staff_id, r.terminal) == (w.manager, "test-desk")
        assert r.description == f"Refund of ticket #{visit.ticket_id}: Client changed their mind"
    # The cash kept was £65 (£70 less £5 change); each tender paid back by its own method.
    assert payments == [
        ("card", 60000, 0),
        ("cash", 7000, 500),
        ("card", -60000, 0),
        ("cash", -6500, 0),
    ]
    assert ticket is not None and ticket.status == "refunded"
    assert ticket.reversed_at is not None
    assert (ticket.refund_reason, ticket.refunded_by, ticket.refund_terminal) == (
        "Client changed their mind",
        w.manager,
        "test-desk",
    )
    assert appointment is not None and appointment.status == "completed"  # it did happen
    # Single system: £250 × 10 % for the service, £80 paid per massage × 10 % for the visit.
    assert commissions == [
        ("service", w.therapist, 2500),
        ("redeem", w.therapist, 800),
        ("reversal", w.therapist, -2500),
        ("reversal", w.therapist, -800),
    ]
    assert await counts(ctx) == (entries_before + 6, payments_before + 2, commissions_before + 2)

    # A second refund is refused and writes nothing.
    written_so_far = await counts(ctx)
    with pytest.raises(ValidationError, match="already refunded") as err:
        await manager.till.reverse(visit.ticket_id, "again")
    assert err.value.field == "ticket"
    assert await counts(ctx) == written_so_far

    # The earlier sale can still be refunded: its 4 visits leave again, its card comes back.
    assert await manager.till.reverse(sale_id, "Bought by mistake") == 1
    assert (await balances(ctx, w.client))[massage] == 0
    async with ctx.read() as s:
        net = await s.scalar(select(func.sum(Payment.amount_minor - Payment.change_minor)))
        commission_total = await s.scalar(select(func.sum(Commission.amount_minor)))
    assert net == 0 and commission_total == 0
    await assert_ledger_consistent(ctx)


async def test_refund_of_visits_already_used_is_refused_as_a_whole(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.manager)
    w = world
    await Desk(ctx).balances.adjust_wallet(w.client, D("20"), "Goodwill", key=new_key())
    sale = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="sale",
            client_id=w.client,
            lines=(
                LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=3, qty_used=0),
            ),
            use_wallet=True,
            tenders=(TenderInput(method="card", amount=D("220.00")),),
        )
    )
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="redeem",
            client_id=w.client,
            lines=(LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage, quantity=2),),
        )
    )
    written = await counts(ctx)
    with pytest.raises(InsufficientBalance) as err:
        await Desk(ctx).till.reverse(sale.ticket_id, "Changed mind")
    assert str(err.value) == (
        "Can't refund: the client has 1 prepaid visits of Deep Tissue Massage and the refund "
        "takes back 3; they were already used"
    )
    assert (err.value.available, err.value.requested) == (1, 3)
    # Nothing at all: not even the wallet money, which could have come back on its own.
    assert await counts(ctx) == written
    assert (await balances(ctx, w.client))["wallet"] == 0
    async with ctx.read() as s:
        ticket = await s.get(Ticket, sale.ticket_id)
    assert ticket is not None and ticket.status == "completed" and ticket.reversed_at is None
    await assert_ledger_consistent(ctx)


async def test_refund_of_a_renewal_takes_its_beauty_bank_credit_back(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.manager)
    w = world
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="join",
            client_id=w.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        )
    )
    async with ctx.read() as s:
        membership_id = await s.scalar(
            select(Membership.id).where(Membership.client_id == w.client)
        )
    renewal = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="renew",
            client_id=w.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_RENEWAL, membership_id=membership_id),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        )
    )
    assert renewal.wallet_credited == D("50.00")
    assert (await balances(ctx, w.client))["wallet"] == 5000
    assert await Desk(ctx).till.reverse(renewal.ticket_id, "Renewal charged twice") == 1
    assert (await balances(ctx, w.client))["wallet"] == 0
    await assert_ledger_consistent(ctx)


async def test_refund_needs_a_reason_and_a_ticket(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.manager)
    sale_id = await sell_massages(ctx, world)
    written = await counts(ctx)
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).till.reverse(sale_id, "   ")
    assert err.value.field == "reason"
    with pytest.raises(NotFound, match="Ticket #999 not found"):
        await Desk(ctx).till.reverse(999, "No such ticket")
    assert await counts(ctx) == written


async def test_refund_of_a_ticket_that_sold_and_redeemed_the_same_service(
    ctx: ServiceContext, world: World
) -> None:
    """A ticket sells 3 visits and redeems 1 (1 owned before: 3 left); a later visit
    redeems 1 (2 left). The refund gives the redeemed visit back before taking the 3 away,
    so the balance never dips below zero on the way to 0."""
    ctx = ctx.as_staff(world.manager)
    w = world
    massage = f"service:{w.massage}"

    async def checkout(key: str, *lines: LineInput, card: str = "0") -> int:
        tenders = (TenderInput(method="card", amount=D(card)),) if card != "0" else ()
        result = await Desk(ctx).till.complete(
            CheckoutInput(idempotency_key=key, client_id=w.client, lines=lines, tenders=tenders)
        )
        return result.ticket_id

    redeem = LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage)
    await checkout(
        "one",
        LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=1, qty_used=0),
        card="80.00",
    )
    both = await checkout(
        "both",
        LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=3, qty_used=0),
        redeem,
        card="240.00",
    )
    assert (await balances(ctx, w.client))[massage] == 3
    await checkout("later", redeem)
    assert (await balances(ctx, w.client))[massage] == 2
    assert await Desk(ctx).till.reverse(both, "Wrong client") == 2
    assert (await balances(ctx, w.client))[massage] == 0
    await assert_ledger_consistent(ctx)
