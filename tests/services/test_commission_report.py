"""The commission report per staff member for a period (docs/rules.md, K5): the same
tickets under the single and the dual system, each line traced to its ticket, and a
refund shown where it happened. On both engines.

The world's Signature Facial is £90 and Deep Tissue Massage £80, both paying 10 % (single)
or £5 per visit sold and £7 per visit performed (dual). Dee Desk sells at the till, Tia
Therapist performs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import update

from frontdesk.db.tables import StoreSettings
from frontdesk.db.tables.base import written_at
from frontdesk.domain.checkout import LineKind
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.ledger_reports import CommissionReport
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

D = Decimal
UTC = dt.UTC
SINGLE_DAY = dt.date(2026, 3, 9)
DUAL_DAY = dt.date(2026, 3, 10)
REFUND_DAY = dt.date(2026, 3, 12)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=UTC)


async def same_tickets(ctx: ServiceContext, w: World, client: int, tag: str) -> list[int]:
    """A facial, five massages prepaid (one performed at once), two redeemed, a serum."""
    till = Desk(ctx.as_staff(w.desk)).till

    async def complete(name: str, line: LineInput, pay: str | None) -> int:
        tenders = (TenderInput(method="card", amount=D(pay)),) if pay else ()
        result = await till.complete(
            CheckoutInput(
                idempotency_key=f"{tag}-{name}", client_id=client, lines=(line,), tenders=tenders
            )
        )
        return result.ticket_id

    return [
        await complete(
            "facial",
            LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),
            "90.00",
        ),
        await complete(
            "massages",
            LineInput(
                kind=LineKind.PREPAID_SALE,
                service_id=w.massage,
                quantity=5,
                qty_used=1,
                staff_id=w.therapist,
            ),
            "400.00",
        ),
        await complete(
            "redeem",
            LineInput(
                kind=LineKind.PREPAID_REDEEM, service_id=w.massage, quantity=2, staff_id=w.therapist
            ),
            None,
        ),
        await complete("serum", LineInput(kind=LineKind.PRODUCT, product_id=w.serum), "45.00"),
    ]


def traced(report: CommissionReport) -> dict[str, list[tuple[int, str, str, Decimal]]]:
    """Per staff name: (ticket, line description, kind, amount) of each line."""
    return {
        s.staff_name: [(ln.ticket_id, ln.description, ln.kind, ln.amount) for ln in s.lines]
        for s in report.staff
    }


async def set_system(ctx: ServiceContext, system: str) -> None:
    async with ctx.transaction() as s:
        await s.execute(update(StoreSettings).values(commission_system=system))


async def test_the_same_tickets_under_single_and_under_dual(ctx: ServiceContext) -> None:
    w = await build_world(ctx, commission="single")
    with written_at(noon(SINGLE_DAY)):
        single = await same_tickets(ctx, w, w.client, "single")
    await set_system(ctx, "dual")
    with written_at(noon(DUAL_DAY)):
        dual = await same_tickets(ctx, w, w.other_client, "dual")
    reports = Desk(ctx.as_staff(w.manager)).commission_reports

    one = await reports.for_period(SINGLE_DAY, SINGLE_DAY, tz=UTC)
    facial, massages, redeem, _serum = single
    # Single (K1): performed visits only, 10 % of what the client paid for them; the sale
    # itself and the serum earn nothing, so Dee Desk is not in the report at all.
    assert traced(one) == {
        "Tia Therapist": [
            (facial, "Signature Facial", "service", D("9.00")),
            (massages, "Deep Tissue Massage — prepaid ×5", "redeem", D("8.00")),
            (redeem, "Deep Tissue Massage — prepaid visit redeemed", "redeem", D("16.00")),
        ]
    }
    assert one.total == D("33.00")

    two = await reports.for_period(DUAL_DAY, DUAL_DAY, tz=UTC)
    facial, massages, redeem, _serum = dual
    # Dual (K2): £5 a visit sold to the seller, £7 a visit performed to the performer.
    assert traced(two) == {
        "Dee Desk": [(massages, "Deep Tissue Massage — prepaid ×5", "sale", D("25.00"))],
        "Tia Therapist": [
            (facial, "Signature Facial", "service", D("12.00")),
            (massages, "Deep Tissue Massage — prepaid ×5", "redeem", D("7.00")),
            (redeem, "Deep Tissue Massage — prepaid visit redeemed", "redeem", D("14.00")),
        ],
    }
    assert [s.total for s in two.staff] == [D("25.00"), D("33.00")]
    assert two.system == "dual"
    # Both days: each row kept what it earned under the system of its day.
    both = await reports.for_period(SINGLE_DAY, DUAL_DAY, tz=UTC)
    assert both.total == one.total + two.total == D("91.00")


async def test_a_refund_is_shown_in_the_period_it_happened(ctx: ServiceContext) -> None:
    w = await build_world(ctx, commission="single")
    with written_at(noon(SINGLE_DAY)):
        facial, *_ = await same_tickets(ctx, w, w.client, "t")
    with written_at(noon(REFUND_DAY)):
        await Desk(ctx.as_staff(w.manager)).till.reverse(facial, "Allergic reaction")
    reports = Desk(ctx.as_staff(w.manager)).commission_reports

    earned = await reports.for_period(SINGLE_DAY, SINGLE_DAY, tz=UTC)
    # The day already paid out is not rewritten: the facial still earned £9.00 that day,
    # marked as refunded since.
    (tia,) = earned.staff
    first = tia.lines[0]
    assert (first.ticket_id, first.line_kind, first.kind, first.amount, first.refunded) == (
        facial,
        "service",
        "service",
        D("9.00"),
        True,
    )
    assert tia.total == D("33.00")

    refund_day = await reports.for_period(REFUND_DAY, REFUND_DAY, tz=UTC)
    assert traced(refund_day) == {
        "Tia Therapist": [(facial, "Signature Facial", "reversal", D("-9.00"))]
    }
    whole = await reports.for_period(SINGLE_DAY, REFUND_DAY, tz=UTC)
    assert whole.total == D("24.00")  # the refunded facial nets to nothing
    # Nothing in between.
    assert (await reports.for_period(DUAL_DAY, DUAL_DAY, tz=UTC)).staff == ()
    # Another location's tickets only: none here.
    assert (
        await reports.for_period(SINGLE_DAY, REFUND_DAY, location_id=w.location + 1, tz=UTC)
    ).staff == ()
