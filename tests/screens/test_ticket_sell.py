"""Selling from a walk-in ticket (the profile's s): what the one-item Sell modal did, the
ticket does by keys. Products bank their units, packages bank theirs times the quantity,
prepaid services credit Qty Prch − Qty Used visits and the receipt says so, names are
literal, a failed sale is shown in words and can be retried, Esc writes nothing, and a
double ctrl+s sells once."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from frontdesk.domain.errors import Conflict, KeyReused
from frontdesk.services.checkout import Till
from frontdesk.views.till import CheckoutInput, CheckoutResult
from screens.ticket import TicketScreen
from screens.widgets.picker import PickerModal
from tests.desks import NO_AREAS, Areas
from tests.money import amount, money, typed
from tests.screens.picker_fixtures import MARKUP_FIRST, MARKUP_LAST, SIZE, HostApp
from tests.screens.profile_fixtures import ledger_count
from tests.screens.shop_fixtures import (
    MARKUP_PRODUCT,
    Shop,
    banked,
    build_shop,
    payment_methods,
    ticket_count,
)
from tests.screens.ticket_fixtures import (
    completed,
    field,
    pick,
    press_and_quote,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
    totals,
)
from tests.waiting import wait_until

D = Decimal


def walk_in(url: str, shop: Shop, areas: Areas = NO_AREAS) -> HostApp:
    return ticket_app(url, shop.client_id, shop.location_id, areas=areas, staff_id=shop.staff_id)


async def add(pilot: Pilot[Any], option_id: str) -> None:
    """a, then the item `option_id` (e.g. "prepaid-3") from the Add list."""
    await pilot.press("a")
    await pick(pilot, option_id)
    await ticket_opened(pilot)


async def sold(pilot: Pilot[Any], app: HostApp) -> CheckoutResult:
    """ctrl+s, the receipt, Enter: the result the ticket closed with."""
    await pilot.press("ctrl+s")
    await completed(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.results, what="the ticket closed with its result")
    [result] = app.results
    assert isinstance(result, CheckoutResult)
    return result


async def test_add_list_says_price_unit_and_banking(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, markup_client=True)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        # Names from the database are shown literally: no [@click=app.quit] runs.
        assert shown(app, "#ticket-title") == (
            f"Ticket · {MARKUP_FIRST} {MARKUP_LAST} · Mon 23 Nov 2026"
        )
        assert shown(app, "#ticket-note") == (
            "a adds a product, package, prepaid service or membership"
        )
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PickerModal)
                and app.screen.query_one(OptionList).option_count > 0
            ),
            what="the Add list",
        )
        items = app.screen.query_one(OptionList)
        labels = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert labels == [
            f"Botox · {money('9.00')} / unit · banks units",
            f"Numbing cream · {money('5.00')} / tube",
            f"{MARKUP_PRODUCT} · {money('25.00')} / unit",
            f"50 Botox units · package {money('400.00')} · banks units",
            f"Botox — Anti-wrinkle · prepaid · {money('250.00')} / visit",
            f"Signature Facial · prepaid · {money('80.00')} / visit",
        ]
        await pilot.press("down", "down", "enter")
        await ticket_opened(pilot)
        [line] = ticket(app).quote.lines  # type: ignore[union-attr]
        assert line.description.startswith(MARKUP_PRODUCT)
        assert (await sold(pilot, app)).total == amount("25.00")


async def test_units_sold_are_banked_and_the_receipt_says_so(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert await banked(app, shop.client_id) == 10
        await add(pilot, f"product-{shop.botox_id}")
        await press_and_quote(pilot, "plus", "plus", "plus", "plus")
        assert totals(app)[0] == f"Subtotal {money('45.00')}"
        assert field(app, "#tender-card") == typed("45.00")
        await pilot.press("ctrl+s")
        await completed(pilot)
        receipt = shown(app, "#receipt-text")
        assert "5 units of Botox banked" in receipt
        assert "Botox 15 units" in receipt  # what the client has left
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the ticket closed")
    [result] = app.results
    assert isinstance(result, CheckoutResult)
    assert (result.total, result.card, result.units_banked) == (
        amount("45.00"),
        amount("45.00"),
        (("Botox", 5),),
    )
    assert await ticket_count(sqlite_url) == 1
    assert await payment_methods(sqlite_url) == ["card"]


async def test_a_package_banks_its_units_times_the_quantity(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"package-{shop.package_id}")
        await press_and_quote(pilot, "plus")
        assert totals(app)[0] == f"Subtotal {money('800.00')}"
        result = await sold(pilot, app)
        assert result.units_banked == (("Botox", 100),)
        assert await banked(app, shop.client_id) == 110


async def test_prepaid_5_bought_1_used_credits_4_visits_and_says_so(sqlite_url: str) -> None:
    """Seed 004: per-visit price × Qty Prch; Qty Used 1 by default; 4 visits added."""
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"prepaid-{shop.facial_id}")
        await press_and_quote(pilot, "plus", "plus", "plus", "plus")
        [line] = ticket(app).quote.lines  # type: ignore[union-attr]
        assert (line.quantity, line.qty_used, line.net) == (5, 1, amount("400.00"))
        assert shown(app, "#ticket-note").startswith("Qty Prch 5 · Qty Used 1 · adds 4 visits")
        await pilot.press("ctrl+s")
        await completed(pilot)
        assert "4 visits of Signature Facial added to the prepaid balance" in shown(
            app, "#receipt-text"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the ticket closed")
        summary = await app.desk.clients.summary(shop.client_id)
        assert [(p.service_name, p.visits) for p in summary.prepaid] == [("Signature Facial", 4)]
    [result] = app.results
    assert isinstance(result, CheckoutResult)
    assert (result.total, result.prepaid_added) == (amount("400.00"), (("Signature Facial", 4),))


async def test_prepaid_with_nothing_used_today_credits_every_visit(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"prepaid-{shop.facial_id}")
        await press_and_quote(pilot, "plus", "plus")
        # u steps Qty Used 1 → 2 → 3 (never past Qty Prch) → 0.
        await press_and_quote(pilot, "u", "u")
        assert ticket(app).quote.lines[0].qty_used == 3  # type: ignore[union-attr]
        await press_and_quote(pilot, "u")
        assert shown(app, "#ticket-note").startswith("Qty Prch 3 · Qty Used 0 · adds 3 visits")
        result = await sold(pilot, app)
        assert result.prepaid_added == (("Signature Facial", 3),)


async def test_quantity_never_goes_below_one(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"product-{shop.botox_id}")
        await press_and_quote(pilot, "minus", "minus")
        assert ticket(app).quote.lines[0].quantity == 1  # type: ignore[union-attr]
        assert totals(app)[0] == f"Subtotal {money('9.00')}"


async def test_membership_discount_is_in_the_total_and_the_tender(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, discount_percent=D("15"))
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"product-{shop.botox_id}")
        await press_and_quote(pilot, *["plus"] * 9)
        assert totals(app)[:2] == [
            f"Subtotal {money('90.00')}",
            f"Member discount 15% −{money('13.50')}",
        ]
        assert totals(app)[-1] == f"Total due {money('76.50')}"
        assert field(app, "#tender-card") == typed("76.50")
        result = await sold(pilot, app)
        assert (result.total, result.card, result.change) == (
            amount("76.50"),
            amount("76.50"),
            D(0),
        )


async def test_without_future_product_usage_nothing_banks(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, banking=False)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"product-{shop.botox_id}")
        [line] = ticket(app).quote.lines  # type: ignore[union-attr]
        assert "to bank" not in line.description
        result = await sold(pilot, app)
        assert result.units_banked == ()
        assert await banked(app, shop.client_id) == 10


async def test_escape_writes_nothing(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        entries = await ledger_count(sqlite_url)
        await add(pilot, f"product-{shop.botox_id}")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, what="the ticket closed")
        assert app.results == [None]
        assert not isinstance(app.screen, TicketScreen)
    assert await ticket_count(sqlite_url) == 0
    assert await ledger_count(sqlite_url) == entries


class FailingTill(Till):
    failure: Exception = Conflict("The till is closed for the night")

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        raise self.failure


class BrokenTill(FailingTill):
    failure = RuntimeError("connection reset\nTraceback (most recent call last): ...")


@pytest.mark.parametrize(
    ("till", "message"),
    [
        (FailingTill, "Not completed: The till is closed for the night"),
        (BrokenTill, "Not completed: Something went wrong — nothing was saved; try again"),
    ],
)
async def test_a_failed_sale_is_shown_in_words_and_can_be_retried(
    sqlite_url: str, till: type[Till], message: str
) -> None:
    shop = await build_shop(sqlite_url)
    app = walk_in(sqlite_url, shop, {"till": till})
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"product-{shop.botox_id}")
        screen = ticket(app)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: shown(app, "#ticket-message").startswith("Not completed"),
            what="the sale refused in words",
        )
        assert shown(app, "#ticket-message") == message
        assert "Traceback" not in shown(app, "#ticket-message")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: screen.calls == 2 and shown(app, "#ticket-message").startswith("Not"),
            what="the retry refused too",
        )
        assert app.results == [] and app.screen is screen
    assert await ticket_count(sqlite_url) == 0


class SlowTill(Till):
    """Holds the checkout until the test lets it go."""

    let_go: asyncio.Event
    sent: CheckoutInput | None = None  # what the screen sent last

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        type(self).sent = data
        await self.let_go.wait()
        return await super().complete(data)

    @classmethod
    def last_sent(cls) -> CheckoutInput | None:
        return cls.sent


async def test_double_ctrl_s_sells_once_and_esc_waits_for_the_answer(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    SlowTill.let_go = asyncio.Event()
    SlowTill.sent = None
    app = walk_in(sqlite_url, shop, {"till": SlowTill})
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await add(pilot, f"product-{shop.botox_id}")
        await press_and_quote(pilot, "plus", "plus", "plus", "plus")
        screen = ticket(app)
        await pilot.press("ctrl+s", "ctrl+s", "escape")
        await wait_until(
            pilot,
            lambda: "Esc works again once it is done" in shown(app, "#ticket-message"),
            what="Esc refused while completing",
            workers=False,
        )
        assert app.screen is screen  # Esc can't hide a sale that may be committing
        SlowTill.let_go.set()
        await completed(pilot)
        assert screen.calls == 1
        key = screen.idempotency_key
        # A resend of the same ticket (an answer lost on the way back) replays it; the
        # same key with another order is refused, never answered with this ticket.
        sent = SlowTill.last_sent()
        assert sent is not None and sent.idempotency_key == key
        again = await app.desk.till.complete(sent)
        with pytest.raises(KeyReused):
            await app.desk.till.complete(
                CheckoutInput(idempotency_key=key, client_id=shop.client_id)
            )
        assert again.replayed and again.ticket_id == screen.result.ticket_id  # type: ignore[union-attr]
    assert await ticket_count(sqlite_url) == 1
    assert await banked(app, shop.client_id) == 15
