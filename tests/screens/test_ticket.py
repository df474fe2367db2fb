"""The ticket, driven by keys through the seeds' examples and checked in the database."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Payment, PromotionCode, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.promotions import format_day
from frontdesk.services.checkout import Till
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, CheckoutResult
from screens.appointment import AppointmentScreen
from screens.ticket_totals import TOTAL_W, total_row
from screens.widgets.form import FormModal
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.conftest import appointment_shown
from tests.screens.picker_fixtures import (
    MARKUP_FIRST,
    SIZE,
    HostApp,
    build_clinic_at,
)
from tests.screens.test_appointment_screen import use_ten_buy_five
from tests.screens.ticket_fixtures import (
    NOW,
    build_spa,
    completed,
    count,
    field,
    payments,
    pick,
    press_and_quote,
    quoted,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
    totals,
)
from tests.waiting import wait_until

D = Decimal


async def test_seed_003_beauty_bank_then_card(sqlite_url: str) -> None:
    """£90 treatment, 15% member discount, £35 Beauty Bank → £41.50 on card."""
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert shown(app, "#ticket-title") == "Ticket · Amelia Hart · Mon 23 Nov 2026"
        assert totals(app) == [
            f"Subtotal {money('90.00')}",
            f"Member discount 15% −{money('13.50')}",
            "Promotion —",
            f"[ ] Beauty Bank of {money('35.00')} —",  # never applied by itself
            f"[ ] Credit of {money('0.00')} —",
            f"Total due {money('76.50')}",
        ]
        assert field(app, "#tender-card") == typed("76.50")
        await press_and_quote(pilot, "w")
        assert totals(app)[3:] == [
            f"[x] Beauty Bank of {money('35.00')} −{money('35.00')}",
            f"[ ] Credit of {money('0.00')} —",
            f"Total due {money('41.50')}",
        ]
        assert field(app, "#tender-card") == typed("41.50")
        assert shown(app, "#tender-status") == "Paid in full"
        await pilot.press("ctrl+s")
        await completed(pilot)
        receipt = shown(app, "#receipt-text")
        assert "Glovora" in receipt and "Beauty Bank used" in receipt and money("41.50") in receipt
        assert f"Left: Beauty Bank {money('0.00')}" in receipt
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the ticket closed")
    [result] = app.results
    assert isinstance(result, CheckoutResult)
    assert (result.wallet_applied, result.card, result.total) == (
        amount("35.00"),
        amount("41.50"),
        amount("76.50"),
    )
    assert await payments(sqlite_url) == [("card", 4150, 0)]
    desk = Desk.open(sqlite_url, terminal="check")
    try:
        assert (await desk.appointments.get(spa.treatment_appt)).status == "completed"
        assert (await desk.clients.summary(spa.member_id)).wallet_balance == amount("0.00")
    finally:
        await desk.close()


async def test_from_the_appointment_to_a_paid_card_checkout_with_beauty_bank_in_four_keys(
    sqlite_url: str,
) -> None:
    spa = await build_spa(sqlite_url)
    app = HostApp(
        sqlite_url,
        lambda desk: AppointmentScreen(desk, spa.treatment_appt, clock=lambda: NOW),
        staff_id=spa.staff_id,
    )
    keys: list[str] = []

    async def press(key: str) -> None:
        keys.append(key)
        await pilot.press(key)

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        await press("c")
        await ticket_opened(pilot)
        await press("w")
        await ticket_opened(pilot)
        await press("ctrl+s")
        await completed(pilot)
        await press("enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, AppointmentScreen)
                and "Completed" in shown(app, "#appt-status")
            ),
            what="the appointment, completed",
        )
    assert len(keys) <= 6, keys
    assert await payments(sqlite_url) == [("card", 4150, 0)]


async def test_seed_004_prepaid_sold_then_redeemed_at_zero(sqlite_url: str) -> None:
    """Seed 004 in its own dollars: 5 visits at $20, Qty Used 1 → $100 paid, 4 added; a
    later visit redeems one at $0.00."""
    spa = await build_spa(sqlite_url, currency="USD", locale="en_US")
    sale = ticket_app(sqlite_url, spa.brows_id, spa.location_id, staff_id=spa.staff_id)
    async with sale.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("a")
        await pick(pilot, f"prepaid-{spa.brow_tint_id}")
        await ticket_opened(pilot)
        await press_and_quote(pilot, "plus", "plus", "plus", "plus")
        [line] = ticket(sale).quote.lines  # type: ignore[union-attr]
        assert (line.kind, line.quantity, line.qty_used, line.net) == (
            LineKind.PREPAID_SALE,
            5,
            1,
            D("100.00"),
        )
        assert "Qty Prch 5 · Qty Used 1 · adds 4 visits" in shown(sale, "#ticket-note")
        assert field(sale, "#tender-card") == "100.00"
        assert totals(sale)[-1] == "Total due $100.00"
        await pilot.press("ctrl+s")
        await completed(pilot)
        assert "4 visits of Brow Tint added to the prepaid balance" in shown(sale, "#receipt-text")
    later = ticket_app(
        sqlite_url, spa.brows_id, spa.location_id, spa.brow_appt, staff_id=spa.staff_id
    )
    async with later.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert shown(later, "#ticket-note") == "4 prepaid visits left · r redeems one at 0.00"
        await press_and_quote(pilot, "r")
        [line] = ticket(later).quote.lines  # type: ignore[union-attr]
        assert (line.kind, line.net, line.prepaid_left) == (
            LineKind.PREPAID_REDEEM,
            D("0.00"),
            3,
        )
        assert totals(later)[-1] == "Total due $0.00"
        await pilot.press("ctrl+s")
        await completed(pilot)
    desk = Desk.open(sqlite_url, terminal="check")
    try:
        [item] = await desk.prepaid.items(spa.brows_id)
        assert item.remaining == 3
        assert (await desk.appointments.get(spa.brow_appt)).status == "completed"
    finally:
        await desk.close()
    assert await payments(sqlite_url) == [("card", 10_000, 0)]


async def test_seed_000_ten_from_the_bank_at_zero_and_five_charged(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)
    await use_ten_buy_five(sqlite_url, clinic)
    app = ticket_app(
        sqlite_url,
        clinic.client_id,
        clinic.location_id,
        clinic.appointment_id,
        staff_id=clinic.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        lines = ticket(app).quote.lines  # type: ignore[union-attr]
        assert [(q.kind, q.quantity, q.net) for q in lines] == [
            (LineKind.SERVICE, 1, amount("250.00")),
            (LineKind.ADDON_USE, 10, amount("0.00")),
            (LineKind.ADDON_BUY, 5, amount("45.00")),
        ]
        await pilot.press("down")
        assert shown(app, "#ticket-note").startswith(
            f"Units from the client's bank at {typed('0.00')}"
        )
        await pilot.press("delete")  # the visit's own lines stay
        assert shown(app, "#ticket-message") == "The appointment's own lines stay on its ticket"
        assert field(app, "#tender-card") == typed("295.00")
        await pilot.press("ctrl+s")
        await completed(pilot)
    assert await payments(sqlite_url) == [("card", 29_500, 0)]
    desk = Desk.open(sqlite_url, terminal="check")
    try:
        history = await desk.balances.history(clinic.client_id, StoredValueKind.PRODUCT_UNITS)
        assert history.total == 2  # banked 10, then 10 used
        assert (await desk.clients.summary(clinic.client_id)).banked == ()
    finally:
        await desk.close()


async def test_cash_with_change(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("tab", "tab", *typed("80"))  # Cash; card follows what is left: nothing
        await wait_until(
            pilot, lambda: field(app, "#tender-card") == typed("0.00"), what="card emptied"
        )
        assert shown(app, "#tender-status") == f"Change {money('3.50')}"
        await pilot.press("ctrl+s")
        await completed(pilot)
        assert "Change" in shown(app, "#receipt-text")
    assert await payments(sqlite_url) == [("cash", 8_000, 350)]


async def test_split_over_card_and_cash(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("tab", "tab", *typed("50"))
        await wait_until(
            pilot, lambda: field(app, "#tender-card") == typed("26.50"), what="card follows"
        )
        assert shown(app, "#tender-status") == "Paid in full"
        await pilot.press("ctrl+s")
        await completed(pilot)
    assert await payments(sqlite_url) == [("card", 2_650, 0), ("cash", 5_000, 0)]


async def test_bad_amount_and_short_payment_are_refused_at_their_field(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("tab", "tab", *"12.345", "ctrl+s")
        await wait_until(pilot, lambda: shown(app, "#tender-cash-error"), what="the cash error")
        # "GBP amounts have at most 2 decimal places", "JPY amounts are whole numbers"
        assert shown(app, "#tender-cash-error").startswith(f"Cash: {TEST_MONEY.currency} amounts ")
        await pilot.press(
            "ctrl+u", "shift+tab", "ctrl+u", *typed("70"), "ctrl+s"
        )  # card 70 of 76.50
        await wait_until(pilot, lambda: shown(app, "#ticket-message"), what="the refusal")
        assert shown(app, "#ticket-message") == f"Still to pay {money('6.50')}"
        await pilot.press("ctrl+u", *typed("100"), "ctrl+s")
        await wait_until(pilot, lambda: "only cash" in shown(app, "#ticket-message"), what="over")
        assert ticket(app).calls == 0
    assert await count(sqlite_url, Ticket) == 0


class LostAnswer(Till):
    """The first checkout commits, then its answer is lost on the way back."""

    lost = False

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        result = await super().complete(data)
        if not LostAnswer.lost:
            LostAnswer.lost = True
            raise ConnectionError("connection reset by peer")
        return result


async def test_a_retry_after_an_error_charges_once(sqlite_url: str) -> None:
    LostAnswer.lost = False
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url,
        spa.member_id,
        spa.location_id,
        spa.treatment_appt,
        areas={"till": LostAnswer},
        staff_id=spa.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "Not completed" in shown(app, "#ticket-message"), what="the error"
        )
        await pilot.press("ctrl+s")
        await completed(pilot)
        assert ticket(app).calls == 2
        assert "nothing was charged twice" in shown(app, "#receipt-text")
    assert await count(sqlite_url, Ticket) == 1
    assert await count(sqlite_url, Payment) == 1


class HeldTill(Till):
    """Checkout waits until the test lets it go."""

    gate: asyncio.Event

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        await HeldTill.gate.wait()
        return await super().complete(data)


async def test_a_double_press_completes_once(sqlite_url: str) -> None:
    HeldTill.gate = asyncio.Event()
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url,
        spa.member_id,
        spa.location_id,
        spa.treatment_appt,
        areas={"till": HeldTill},
        staff_id=spa.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("ctrl+s", "ctrl+s")
        await wait_until(
            pilot,
            lambda: shown(app, "#ticket-message") == "Completing…",
            what="completing",
            workers=False,
        )
        assert ticket(app).calls == 1
        HeldTill.gate.set()
        await completed(pilot)
        assert ticket(app).calls == 1
    assert await count(sqlite_url, Ticket) == 1


async def test_added_lines_change_and_go_and_names_stay_literal(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url, first_name=MARKUP_FIRST, wallet=D(0))
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert shown(app, "#ticket-title").startswith(f"Ticket · {MARKUP_FIRST} Hart")
        await pilot.press("a")
        await pick(pilot, f"prepaid-{spa.brow_tint_id}")
        await ticket_opened(pilot)
        assert len(ticket(app).quote.lines) == 2  # type: ignore[union-attr]
        await press_and_quote(pilot, "plus", "u")  # Qty Prch 2, Qty Used 1 → 2
        added = ticket(app).quote.lines[1]  # type: ignore[union-attr]
        assert (added.quantity, added.qty_used) == (2, 2)
        await press_and_quote(pilot, "minus")
        added = ticket(app).quote.lines[1]  # type: ignore[union-attr]
        assert (added.quantity, added.qty_used) == (1, 1)
        await press_and_quote(pilot, "delete")
        assert len(ticket(app).quote.lines) == 1  # type: ignore[union-attr]
        assert quoted(app)


async def test_complete_pressed_while_the_total_updates_waits_for_it(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("w", "ctrl+s")  # no wait between: the Beauty Bank still counts
        await completed(pilot)
        result = ticket(app).result
        assert result is not None and (result.wallet_applied, result.card) == (
            amount("35.00"),
            amount("41.50"),
        )


async def _codes(url: str) -> None:
    """A code that works (5.00 off) and one that ended before the ticket's day."""
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        async with ctx.transaction() as session:
            for code, ends in (("SPRING5", None), ("AUTUMN20", dt.date(2026, 10, 31))):
                session.add(
                    PromotionCode(
                        code=code,
                        description=f"{code} offer",
                        fixed_minor=500,
                        valid_from=dt.date(2026, 9, 1),
                        valid_to=ends,
                    )
                )
    finally:
        await ctx.dispose()


async def test_p_takes_a_promotion_code_checked_at_its_field(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    await _codes(sqlite_url)
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal), what="the code form")
        error = "#form-promotion_code-error"
        await pilot.press(*"nosuch", "ctrl+s")
        await wait_until(pilot, lambda: shown(app, error), what="an unknown code refused")
        assert shown(app, error) == "Unknown code"
        code = app.screen.query_one("#form-promotion_code", Input)
        code.value = "autumn20"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "expired" in shown(app, error), what="expired")
        # "31 Oct 2026" in en_GB, "2026/10/31" in ja_JP: the store's own way.
        ended = format_day(dt.date(2026, 10, 31), TEST_MONEY.locale)
        assert shown(app, error) == f"This code expired on {ended}"
        code.value = "spring5"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: quoted(app), what="the ticket priced with the code")
        assert totals(app)[1:3] == [
            f"Member discount 15% −{money('13.50')}",
            f"Promotion SPRING5 −{money('5.00')}",
        ]
        assert totals(app)[-1] == f"Total due {money('71.50')}"
        assert field(app, "#tender-card") == typed("71.50")
        await pilot.press("ctrl+s")
        await completed(pilot)
        result = ticket(app).result
    assert result is not None
    assert (result.promotion_code, result.promotion_discount, result.card) == (
        "SPRING5",
        amount("5.00"),
        amount("71.50"),
    )


@pytest.mark.parametrize(
    ("label", "amount"),
    [
        ("Subtotal", "£90.00"),
        ("Subtotal", "￥50,000"),  # the yen sign is two columns wide
        ("[x] Beauty Bank of ￥30,000", "−￥30,000"),
        ("[x] Beauty Bank of £35.00", "−£35.00"),
    ],
)
def test_a_total_row_fills_its_columns_exactly_and_never_shortens_a_number(
    label: str, amount: str
) -> None:
    row = total_row(label, amount)
    assert cell_len(row) == TOTAL_W  # one more and the amount wraps under its label
    assert row.endswith(" " + amount)
    shown = row[: -len(amount)].rstrip()
    assert shown == label or shown.endswith("…")
