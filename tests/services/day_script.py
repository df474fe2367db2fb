"""A scripted day at the desk (issue 17, must show): every tender, a refund, Beauty Bank
and account spends, a prepaid sale and its redemption, add-on units used and bought to
bank, a balance charged and paid; built through the real services on 29 Nov 2026, and
the check that a day report's CSV says what the report says."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from frontdesk.db.tables.base import written_at
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.write_keys import new_key
from frontdesk.reports_csv import DAY_HEADER, day_rows
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.reports import DayReport
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import amount
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World

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

    with at(8, 50):  # the desk's cash drawer opens with a £100 float
        await desk.drawer.open(loc, amount("100"), key=new_key())
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
    with at(15, 0):  # a paid-out: milk for the staff room
        await desk.drawer.paid_out(loc, amount("12.50"), "Milk and coffee", key=new_key())
    with at(18, 0):  # counted: £100 + £140 cash kept − £12.50 = £227.50 expected; £2.50 short
        await manager.drawer.close(loc, amount("225.00"), "£2.50 short", key=new_key())
    return Day(
        membership.ticket_id,
        facial.ticket_id,
        serum.ticket_id,
        prepaid.ticket_id,
        visit.ticket_id,
        redeem.ticket_id,
    )


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
