"""The till's quote of an open ticket: the checkout order with the stored value staff
toggled, prepaid visits per service line, and nothing written; on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import NotFound
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, build_world, ledger_rows

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def tickets(ctx: ServiceContext) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(Ticket)) or 0)


async def member_with_beauty_bank(ctx: ServiceContext, w: World) -> None:
    """Seed 003: a 15% member with £35 in the Beauty Bank."""
    ctx = ctx.as_staff(w.desk)
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="join",
            client_id=w.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        )
    )
    await Desk(ctx).balances.adjust_wallet(
        w.client, D("35"), "Monthly Membership Credit", key=new_key()
    )


def facial_ticket(w: World, **toggles: bool) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key="open-ticket",
        client_id=w.client,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),),
        **toggles,
    )


async def test_seed_003_beauty_bank_applied_only_when_toggled(
    ctx: ServiceContext, world: World
) -> None:
    await member_with_beauty_bank(ctx, world)
    before = (await ledger_rows(ctx), await tickets(ctx))
    plain = await Desk(ctx).till.quote(facial_ticket(world))
    assert (plain.subtotal, plain.membership_discount, plain.total) == (
        D("90.00"),
        D("13.50"),
        D("76.50"),
    )
    assert (plain.wallet_available, plain.wallet_applied, plain.due) == (
        D("35.00"),
        D("0.00"),
        D("76.50"),
    )
    used = await Desk(ctx).till.quote(facial_ticket(world, use_wallet=True))
    assert (used.wallet_applied, used.due) == (D("35.00"), D("41.50"))
    assert used.membership_discount_percent == D("15")
    [line] = used.lines
    assert (line.description, line.gross, line.discount, line.net) == (
        "Signature Facial",
        D("90.00"),
        D("13.50"),
        D("76.50"),
    )
    assert (used.business_name, used.client_name, used.currency) == (
        "Test Salon",
        "Amelia Hart",
        "GBP",
    )
    assert (await ledger_rows(ctx), await tickets(ctx)) == before  # a quote writes nothing


async def test_account_credit_up_to_the_balance(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).balances.issue_account_credit(
        world.client, D("20"), "Overpaid last visit", key=new_key()
    )
    quoted = await Desk(ctx).till.quote(facial_ticket(world, use_account_credit=True))
    assert (quoted.account_credit_available, quoted.account_credit_applied) == (
        D("20.00"),
        D("20.00"),
    )
    assert quoted.due == D("70.00")
    off = await Desk(ctx).till.quote(facial_ticket(world))
    assert (off.account_credit_applied, off.due) == (D("0.00"), D("90.00"))


async def test_seed_004_prepaid_visits_left_per_service_line(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="sale",
            client_id=world.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=5, qty_used=1
                ),
            ),
            tenders=(TenderInput(method="card", amount=D("400.00")),),
        )
    )
    service = LineInput(kind=LineKind.SERVICE, service_id=world.massage)
    redeem = LineInput(kind=LineKind.PREPAID_REDEEM, service_id=world.massage)
    retail = LineInput(kind=LineKind.PRODUCT, product_id=world.serum)
    held = await Desk(ctx).till.quote(
        CheckoutInput(idempotency_key="q", client_id=world.client, lines=(service, retail))
    )
    assert [line.prepaid_left for line in held.lines] == [4, None]
    [item] = held.prepaid
    assert (item.service_name, item.remaining, item.purchased) == ("Deep Tissue Massage", 4, 4)
    redeemed = await Desk(ctx).till.quote(
        CheckoutInput(idempotency_key="q", client_id=world.client, lines=(redeem,))
    )
    [line] = redeemed.lines
    assert (line.kind, line.net, line.prepaid_left) == (LineKind.PREPAID_REDEEM, D("0.00"), 3)
    assert redeemed.due == D("0.00")


async def test_seed_000_appointment_lines_use_from_the_bank_and_charge_the_rest(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
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
    quoted = await Desk(ctx).till.quote(
        CheckoutInput(
            idempotency_key="q",
            client_id=world.client,
            appointment_id=appt.id,
            lines=(LineInput(kind=LineKind.PRODUCT, product_id=world.serum, quantity=2),),
        )
    )
    assert [(line.kind, line.quantity, line.net) for line in quoted.lines] == [
        (LineKind.SERVICE, 1, D("250.00")),
        (LineKind.ADDON_USE, 10, D("0.00")),
        (LineKind.ADDON_BUY, 5, D("45.00")),
        (LineKind.PRODUCT, 2, D("90.00")),
    ]
    assert quoted.lines[0].appointment_id == appt.id and quoted.lines[3].appointment_id is None
    assert quoted.due == D("385.00")


async def test_unknown_client_is_not_found(ctx: ServiceContext, world: World) -> None:
    with pytest.raises(NotFound):
        await Desk(ctx).till.quote(CheckoutInput(idempotency_key="q", client_id=world.client + 99))
