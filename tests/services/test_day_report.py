"""The day report (issue 17, item 2): a scripted day built through the real services,
checked line by line against the report, and its CSV read back equal. On both engines,
in the test store's currency (tests/money.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor
from frontdesk.db.tables import Location
from frontdesk.domain.business_day import business_day
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.reports_csv import day_csv_rows, write_csv
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput
from tests.money import amount
from tests.services.day_script import (
    DAY,
    assert_csv_equals_report,
    at,
    card,
    scripted_day,
    the_day_before,
)
from tests.services.world import build_world


async def test_the_scripted_day_line_by_line_and_its_csv_read_back(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    w = await build_world(ctx)
    await the_day_before(ctx, w)
    day = await scripted_day(ctx, w)
    report = await Desk(ctx.as_staff(w.manager)).reports.day(DAY, w.location)

    assert (report.day, report.location_name, report.tickets) == (DAY, "Main", 6)
    assert (report.starts_at, report.ends_at) == business_day(DAY)
    tenders = {t.method: (t.taken, t.refunded, t.net) for t in report.tenders}
    # card 79 + 41.50 + 300 + 400, the facial's 41.50 back; cash 40 + 75 + 25 (Pay Balance).
    assert tenders == {
        "card": (amount("820.50"), amount("41.50"), amount("779.00")),
        "cash": (amount("140.00"), amount("0"), amount("140.00")),
        "other": (amount("10.00"), amount("0"), amount("10.00")),
    }
    assert report.tenders_total == amount("929.00")
    # Totals after discounts, before stored value: 79 + 76.50 + 40 | 340 + 475 + 0.
    assert [(s.name, s.tickets, s.total) for s in report.by_staff] == [
        ("Dee Desk", 3, amount("195.50")),
        ("Tia Therapist", 3, amount("815.00")),
    ]
    assert [(h.hour, h.amount) for h in report.by_hour] == [
        (9, amount("79.00")),
        (10, amount("81.50")),
        (11, amount("310.00")),
        (12, amount("475.00")),
        (13, amount("-41.50")),
        (14, amount("25.00")),
    ]
    assert [
        (r.ticket_id, r.total, r.tenders_back, r.wallet_back, r.account_credit_back, r.reason)
        for r in report.refunds
    ] == [
        (
            day.facial,
            amount("76.50"),
            amount("41.50"),
            amount("35.00"),
            amount("0"),
            "Allergic reaction",
        )
    ]
    movements = {
        m.line: (m.count_in, m.count_out, m.amount_in, m.amount_out, m.corrections, m.net)
        for m in report.movements
    }
    zero = amount("0")
    assert movements == {
        # £10 birthday credit; £35 spent on the facial, back with its refund.
        "Beauty Bank": (0, 0, amount("10"), amount("35"), amount("35"), amount("10")),
        # £30 used on the massages; £5 over what was owed paid in.
        "Account credit": (0, 0, amount("5"), amount("30"), zero, amount("-25")),
        "Owed": (0, 0, amount("20"), amount("20"), zero, zero),
        # 4 visits sold, 1 redeemed, at £80 a visit (the service's price).
        "Prepaid visits": (4, 1, amount("320"), amount("80"), zero, amount("240")),
        # 20 units bought to bank, 10 used on the visit, at £9 a unit.
        "Banked units": (20, 10, amount("180"), amount("90"), zero, amount("90")),
    }
    [drawer] = report.drawers
    assert (drawer.terminal, drawer.location_name, drawer.state) == (
        ctx.actor.terminal,
        "Main",
        "closed",
    )
    assert (drawer.float_amount, drawer.cash_in, drawer.paid_out) == (
        amount("100"),
        zero,
        amount("12.50"),
    )
    assert [(m.kind, m.amount, m.reason) for m in drawer.moves] == [
        ("paid out", amount("12.50"), "Milk and coffee")
    ]
    assert (drawer.counted, drawer.expected, drawer.difference, drawer.note) == (
        amount("225.00"),
        amount("227.50"),  # float + cash kept (40 + 75 + 25) − the paid-out
        amount("-2.50"),
        "£2.50 short",
    )
    c = report.check
    assert (c.sales, c.membership_discount, c.promotion_discount) == (
        amount("1089.00"),  # 79 + 90 + 45 + 400 + (250 + 5 × 9 + 20 × 9) + 0
        amount("73.50"),  # 15 % of 90 and of 400
        amount("5.00"),
    )
    assert (c.wallet, c.account_credit, c.balance_payments, c.refunds) == (
        amount("35.00"),
        amount("30.00"),
        amount("25.00"),
        amount("41.50"),
    )
    assert (c.expected, c.tenders, c.reconciles) == (amount("929.00"), amount("929.00"), True)
    assert (report.ledger_wallet_spent, report.ledger_account_credit_spent) == (
        amount("35.00"),
        amount("30.00"),
    )
    assert report.stored_value_agrees

    path = tmp_path / "day.csv"
    write_csv(path, day_csv_rows(report))
    assert_csv_equals_report(path, report)


async def test_other_locations_and_other_days_stay_out(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    async with ctx.transaction() as s:
        added = insert(Location).values(name="Annex", address="").returning(Location.id)
        annex = (await s.execute(added)).scalar_one()
    desk = Desk(ctx.as_staff(w.desk))
    for where, on in ((w.location, DAY), (annex, DAY), (w.location, DAY + dt.timedelta(days=1))):
        with at(23, 30, on) if on == DAY else at(0, 0, on):
            await desk.till.complete(
                CheckoutInput(
                    idempotency_key=new_key(),
                    client_id=w.client,
                    location_id=where,
                    lines=(LineInput(kind=LineKind.PRODUCT, product_id=w.serum),),
                    tenders=(card("45.00"),),
                )
            )
    reports = Desk(ctx.as_staff(w.owner)).reports
    main = await reports.day(DAY, w.location)
    whole = await reports.day(DAY)
    assert (main.tickets, main.check.tenders, main.check.reconciles) == (1, amount("45"), True)
    assert (whole.location_name, whole.tickets, whole.check.tenders) == (
        "All locations",
        2,
        amount("90"),
    )
    assert whole.by_hour[0].hour == 23
    assert await reports.find_location("annex") == (annex, "Annex")
    assert await reports.find_location(str(w.location)) == (w.location, "Main")
    with pytest.raises(ValidationError, match="No location 'Nowhere'") as err:
        await reports.find_location("Nowhere")
    assert err.value.field == "location"
    with pytest.raises(ValidationError, match="No location #999"):
        await reports.day(DAY, 999)


async def test_the_report_needs_the_reports_permission(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    with pytest.raises(PermissionDenied, match="reports"):
        await Desk(ctx.as_staff(w.desk)).reports.day(DAY)
    assert await Desk(ctx).reports.reporter(None) == w.owner
    with pytest.raises(PermissionDenied):
        await Desk(ctx).reports.reporter(w.desk)


def test_a_text_cell_is_never_a_formula() -> None:
    from frontdesk.reports_csv import plain, text_cell

    assert text_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert text_cell("Dee Desk") == "Dee Desk"
    assert (plain(Decimal("-41.50")), plain(Decimal("4150")), plain(Decimal("0E-2"))) == (
        "-41.50",
        "4150",
        "0.00",
    )


async def test_a_spend_without_a_ticket_counts_but_is_not_held_against_the_tickets(
    ctx: ServiceContext,
) -> None:
    """The demo's history (and an import) holds checkout spends written without a ticket:
    they are the day's Beauty Bank spent, and the tickets-against-ledger check ignores
    them instead of failing every such day."""
    w = await build_world(ctx)
    with at(11, 0):
        async with ctx.transaction() as s:
            wallet = await ledger.get_or_create_account(s, w.client, StoredValueKind.WALLET_MONEY)
            actor = Actor(w.manager, "test")
            await ledger.post(s, wallet.id, 1000, reason="credit", description="In", actor=actor)
            await ledger.post(
                s, wallet.id, -400, reason="checkout_spend", description="Old", actor=actor
            )
    report = await Desk(ctx.as_staff(w.owner)).reports.day(DAY, w.location)
    (bank,) = [m for m in report.movements if m.line == "Beauty Bank"]
    assert (bank.amount_in, bank.amount_out) == (amount("10"), amount("4"))
    assert report.ledger_wallet_spent == amount("0") and report.stored_value_agrees
