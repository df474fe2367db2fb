"""Commission at the till (docs/rules.md K1-K4): a prepaid sale and its redemptions under
the single and the dual system, with exact amounts, on both engines.

The world's Deep Tissue Massage costs £80 and pays 10 % (single), or £5 per visit sold and
£7 per visit performed (dual). Dee Desk is signed in at the till and sells; Tia Therapist
performs.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from frontdesk.db.tables import Commission, Service, StoreSettings, TicketLine
from frontdesk.domain.checkout import LineKind
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

D = Decimal


async def rows(ctx: ServiceContext, ticket_id: int) -> list[tuple[str, int, int]]:
    """(kind, staff, amount in pence) of each commission row of a ticket."""
    async with ctx.read() as s:
        found = await s.execute(
            select(Commission.kind, Commission.staff_id, Commission.amount_minor)
            .where(Commission.ticket_id == ticket_id)
            .order_by(Commission.id)
        )
        return [(k, staff, amount) for k, staff, amount in found.all()]


async def line_staff(ctx: ServiceContext, ticket_id: int) -> list[tuple[str, int | None]]:
    async with ctx.read() as s:
        found = await s.execute(
            select(TicketLine.kind, TicketLine.staff_id)
            .where(TicketLine.ticket_id == ticket_id)
            .order_by(TicketLine.id)
        )
        return [(kind, staff) for kind, staff in found.all()]


async def sell(ctx: ServiceContext, w: World, key: str, *, promotion: str | None, card: str) -> int:
    """Seed 004: 5 massages prepaid, one performed today by the therapist, a promotion off."""
    result = await Desk(ctx.as_staff(w.desk)).till.complete(
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
            promotion_percent=D(promotion) if promotion else None,
            tenders=(TenderInput(method="card", amount=D(card)),),
        )
    )
    return result.ticket_id


async def redeem(ctx: ServiceContext, w: World, key: str, visits: int) -> int:
    result = await Desk(ctx.as_staff(w.desk)).till.complete(
        CheckoutInput(
            idempotency_key=key,
            client_id=w.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_REDEEM,
                    service_id=w.massage,
                    quantity=visits,
                    staff_id=w.therapist,
                ),
            ),
        )
    )
    return result.ticket_id


async def test_single_pays_when_performed_at_the_value_the_client_paid(
    ctx: ServiceContext,
) -> None:
    w = await build_world(ctx, commission="single")
    # 5 × £80 less 25 % = £300, £60 a visit. The sale itself earns nothing; the visit
    # performed today earns 10 % of £60.
    sale = await sell(ctx, w, "sale", promotion="25", card="300.00")
    assert await rows(ctx, sale) == [("redeem", w.therapist, 600)]
    assert await line_staff(ctx, sale) == [("prepaid_sale", w.desk)]  # the seller
    # The catalogue price rises to £100: a redeemed visit is still worth the £60 paid.
    async with ctx.transaction() as s:
        massage = await s.get(Service, w.massage)
        assert massage is not None
        massage.price_minor = 10_000
    two = await redeem(ctx, w, "two", 2)
    assert await rows(ctx, two) == [("redeem", w.therapist, 1200)]  # 10 % of 2 × £60
    assert await line_staff(ctx, two) == [("prepaid_redeem", w.therapist)]  # the performer
    # A second purchase at full price (5 × £100 = £500, one used today: 10 % of £100 = £10)
    # makes the average £80 a visit: 10 visits for £800.
    again = await sell(ctx, w, "again", promotion=None, card="500.00")
    assert await rows(ctx, again) == [("redeem", w.therapist, 1000)]
    one = await redeem(ctx, w, "one", 1)
    assert await rows(ctx, one) == [("redeem", w.therapist, 800)]


async def test_single_rounds_once_per_line_on_a_third_of_a_penny(ctx: ServiceContext) -> None:
    w = await build_world(ctx, commission="single")
    await Desk(ctx.as_staff(w.desk)).till.complete(
        CheckoutInput(
            idempotency_key="three-for-100",
            client_id=w.client,
            lines=(
                LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=3, qty_used=0),
            ),
            promotion_fixed=D("140.00"),
            tenders=(TenderInput(method="card", amount=D("100.00")),),
        )
    )
    # £100 for 3 visits: one visit is £33.333…, 10 % is £3.33; two are £66.666…, £6.67
    # (not 2 × £3.33); three are exactly £100, £10.00.
    assert await rows(ctx, await redeem(ctx, w, "r1", 1)) == [("redeem", w.therapist, 333)]
    assert await rows(ctx, await redeem(ctx, w, "r2", 2)) == [("redeem", w.therapist, 667)]


async def test_dual_pays_the_seller_at_sale_and_the_performer_at_each_redemption(
    ctx: ServiceContext,
) -> None:
    w = await build_world(ctx, commission="dual")
    sale = await sell(ctx, w, "sale", promotion="25", card="300.00")
    # £5 for each of the 5 visits sold, to the seller; £7 for the visit performed today.
    assert await rows(ctx, sale) == [("sale", w.desk, 2500), ("redeem", w.therapist, 700)]
    two = await redeem(ctx, w, "two", 2)
    assert await rows(ctx, two) == [("redeem", w.therapist, 1400)]  # £7 per visit, not price
    one = await redeem(ctx, w, "one", 1)
    assert await rows(ctx, one) == [("redeem", w.therapist, 700)]


async def test_a_service_line_earns_for_every_visit_on_it(ctx: ServiceContext) -> None:
    """Two facials (£90 each) on one line, performed by the therapist: under dual £5 + £7
    for each, under single 10 % of the £180."""
    w = await build_world(ctx, commission="dual")
    for system, expected in (("dual", 2400), ("single", 1800)):
        async with ctx.transaction() as s:
            store = await s.get(StoreSettings, 1)
            assert store is not None
            store.commission_system = system
        result = await Desk(ctx.as_staff(w.desk)).till.complete(
            CheckoutInput(
                idempotency_key=f"facials-{system}",
                client_id=w.client,
                lines=(
                    LineInput(
                        kind=LineKind.SERVICE,
                        service_id=w.facial,
                        quantity=2,
                        staff_id=w.therapist,
                    ),
                ),
                tenders=(TenderInput(method="card", amount=D("180.00")),),
            )
        )
        assert await rows(ctx, result.ticket_id) == [("service", w.therapist, expected)]
        assert await line_staff(ctx, result.ticket_id) == [("service", w.therapist)]


async def test_products_record_the_seller_and_earn_nothing(ctx: ServiceContext) -> None:
    w = await build_world(ctx, commission="dual")
    result = await Desk(ctx.as_staff(w.desk)).till.complete(
        CheckoutInput(
            idempotency_key="serum",
            client_id=w.client,
            lines=(LineInput(kind=LineKind.PRODUCT, product_id=w.serum, staff_id=w.therapist),),
            tenders=(TenderInput(method="card", amount=D("45.00")),),
        )
    )
    assert await rows(ctx, result.ticket_id) == []
    assert await line_staff(ctx, result.ticket_id) == [("product", w.desk)]
