"""The day report (issue 17, item 2): a scripted day built through the real services,
checked line by line against the report, and its CSV read back equal. On both engines,
in the test store's currency (tests/money.py)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert

from frontdesk.db.tables import Location
from frontdesk.db.tables.base import written_at
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.day_report import business_day
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.reports_csv import DAY_HEADER, day_csv_rows, day_rows, write_csv
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.reports import DayReport
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import amount
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, build_world

DAY = dt.date(2026, 11, 29)


@contextmanager
def at(hour: int, minute: int = 0, on: dt.date = DAY) -> Iterator[None]:
    """Write as if it were `hour:minute` on the desk's clock (the machine's time zone)."""
    with written_at(dt.datetime.combine(on, dt.time(hour, minute)).astimezone()):
        yield


def card(gbp: str) -> TenderInput:
    return TenderInput(method="card", amount=amount(gbp))


def cash(gbp: str) -> TenderInput:
    return TenderInput(method="cash", amount=amount(gbp))


@dataclass(frozen=True)
class Day:
    membership: int
    facial: int
    serum: int
    prepaid: int
    visit: int
    redeem: int


async def the_day_before(ctx: ServiceContext, w: World) -> None:
    """What the clients hold when the day opens; none of it is the day's."""
    manager = Desk(ctx.as_staff(w.manager))
    with at(16, 0, DAY - dt.timedelta(days=1)):
        await manager.balances.adjust_wallet(w.client, amount("50"), "Goodwill", key=new_key())
        await manager.balances.issue_account_credit(
            w.client, amount("30"), "Overpaid", key=new_key()
        )
        await bank_units(manager.ctx, client_id=w.other_client, product_id=w.botox, units=10)


async def scripted_day(ctx: ServiceContext, w: World) -> Day:
    """Every tender, a refund, Beauty Bank and account spends, a prepaid sale and its
    redemption, add-on units used and bought to bank, a balance charged and paid."""
    desk = Desk(ctx.as_staff(w.desk))
    therapist = Desk(ctx.as_staff(w.therapist))
    manager = Desk(ctx.as_staff(w.manager))
    loc = w.location

    def ticket(client: int, *lines: LineInput, **kw: object) -> CheckoutInput:
        return CheckoutInput.model_validate(
            {"idempotency_key": new_key(), "client_id": client, "location_id": loc}
            | {"lines": lines}
            | kw
        )

    with at(9, 15):  # a membership sold: from now on 15 % off for the client
        membership = await desk.till.complete(
            ticket(
                w.client,
                LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto),
                tenders=(card("79.00"),),
            )
        )
    with at(10, 5):  # £90 - 15 % = £76.50: £35 from the Beauty Bank, £41.50 on card
        facial = await desk.till.complete(
            ticket(
                w.client,
                LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),
                use_wallet=True,
                wallet_amount=amount("35.00"),
                tenders=(card("41.50"),),
            )
        )
    with at(10, 40):  # £45 serum, £5 off by promotion; £50 cash, £10 change
        serum = await desk.till.complete(
            ticket(
                w.other_client,
                LineInput(kind=LineKind.PRODUCT, product_id=w.serum),
                promotion_fixed=amount("5"),
                tenders=(cash("50.00"),),
            )
        )
    with at(11, 30):  # 5 massages at £80, one today: 4 visits; -15 %, £30 credit
        prepaid = await therapist.till.complete(
            ticket(
                w.client,
                LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5, qty_used=1),
                use_account_credit=True,
                tenders=(card("300.00"), TenderInput(method="other", amount=amount("10.00"))),
            )
        )
    with at(12, 0):  # Botox £250: 10 units from the bank, 5 bought, 20 bought to bank
        appt = await make_appointment(
            ctx,
            client_id=w.other_client,
            service_id=w.botox_service,
            staff_id=w.therapist,
            location_id=loc,
        )
        await therapist.addons.add_to_service(
            appt.id, [AddonSelection(w.botox, 10, 5, expected_owned=10)], key=new_key()
        )
        await therapist.addons.buy_more(appt.id, w.botox, 20)
    with at(12, 20):
        visit = await therapist.till.complete(
            ticket(w.other_client, appointment_id=appt.id, tenders=(card("400"), cash("80")))
        )
    with at(12, 45):  # a prepaid massage redeemed; no location on the ticket (staff's)
        redeem = await therapist.till.complete(
            CheckoutInput(
                idempotency_key=new_key(),
                client_id=w.client,
                lines=(LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage),),
            )
        )
    with at(13, 10):
        await manager.till.reverse(facial.ticket_id, "Allergic reaction")
    with at(14, 0):  # £20 owed charged, then £25 paid: £20 owed cleared, £5 credit
        await desk.balances.charge_account(w.other_client, amount("20"), "Damage", key=new_key())
        await desk.balances.pay_balance(w.other_client, amount("25"), "cash", key=new_key())
    with at(14, 30):
        await manager.balances.adjust_wallet(w.client, amount("10"), "Birthday", key=new_key())
    return Day(
        membership.ticket_id,
        facial.ticket_id,
        serum.ticket_id,
        prepaid.ticket_id,
        visit.ticket_id,
        redeem.ticket_id,
    )


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


def assert_csv_equals_report(path: Path, report: DayReport) -> None:
    """Every number in the file is the report's, as a spreadsheet would read it."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == DAY_HEADER
    expected = day_rows(report)
    assert len(rows) - 1 == len(expected)
    for got, (section, line, measure, count, value) in zip(rows[1:], expected, strict=True):
        assert got[:5] == [report.day.isoformat(), "Main", section, line, measure]
        assert (int(got[5]) if got[5] else None) == count
        assert (Decimal(got[6]) if got[6] else None) == value
        assert "," not in got[6] and "E" not in got[6].upper()
    read = {(r[2], r[3], r[4]): r[6] for r in rows[1:]}
    # The same numbers the report shows, found by name.
    assert Decimal(read[("tenders", "card", "net")]) == report.tenders[0].net
    assert Decimal(read[("check", "tenders", "amount")]) == report.check.tenders
    assert read[("check", "reconciles", "yes")] == ""
    # Plain decimals with the currency's places: "779.00" in GBP, "77900" in JPY.
    assert read[("tenders", "card", "net")] == format(report.tenders[0].net, "f")


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
