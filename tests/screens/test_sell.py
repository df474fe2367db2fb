"""The Sell modal at 80x24, keyboard only: products bank their units, prepaid services
credit Qty Prch − Qty Used visits, bad quantities write nothing, Esc writes nothing, and a
double ctrl+s sells once."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from textual.widgets import Button, Input, OptionList, RadioSet

from frontdesk.domain.errors import Conflict
from frontdesk.services.checkout import Till
from frontdesk.views.till import CheckoutInput, CheckoutResult
from screens.sell import SellScreen
from tests.screens.picker_fixtures import MARKUP_FIRST, MARKUP_LAST, SIZE, notes, text_of
from tests.screens.profile_fixtures import ledger_count
from tests.screens.sell_fixtures import (
    MARKUP_PRODUCT,
    banked,
    build_shop,
    choose,
    payment_methods,
    sell_app,
    sell_opened,
    sell_screen,
    ticket_count,
    type_into,
)
from tests.waiting import wait_until


async def test_list_labels_say_price_unit_and_banking(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        items = app.screen.query_one("#sell-items", OptionList)
        labels = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert labels == [
            "Botox · £9.00 / unit · banks units",
            "Numbing cream · £5.00 / tube",
            f"{MARKUP_PRODUCT} · £25.00 / unit",
            "50 Botox units · package £400.00 · banks units",
            "Botox — Anti-wrinkle · prepaid · £250.00 / visit",
            "Signature Facial · prepaid · £80.00 / visit",
        ]
        assert text_of(app, "#sell-title") == "Sell to Ann Lee · Mon 23 Nov 2026"
        # The first item is chosen, quantity 1: the total is there before any typing.
        assert text_of(app, "#sell-total") == "Total £9.00  (1 × £9.00)"
        assert text_of(app, "#sell-outcome") == "Banks 1 unit of Botox"


async def test_selling_units_banks_them(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        assert await banked(app, shop.client_id) == 10
        await choose(pilot, f"product-{shop.botox_id}")
        assert app.screen.focused is app.screen.query_one("#quantity", Input)
        await type_into(pilot, "#quantity", "5")
        assert text_of(app, "#sell-total") == "Total £45.00  (5 × £9.00)"
        assert text_of(app, "#sell-outcome") == "Banks 5 units of Botox"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        assert len(app.results) == 1
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert result.total == Decimal("45.00")
        assert result.card == Decimal("45.00")
        assert result.units_banked == (("Botox", 5),)
        assert await banked(app, shop.client_id) == 15
        assert any("5 units of Botox banked" in n for n in notes(app))
        assert await ticket_count(sqlite_url) == 1


async def test_package_banks_its_units_times_the_quantity(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await choose(pilot, f"package-{shop.package_id}")
        assert text_of(app, "#sell-detail") == "Contains 50 units Botox (banked)"
        await type_into(pilot, "#quantity", "2")
        assert text_of(app, "#sell-total") == "Total £800.00  (2 × £400.00)"
        assert text_of(app, "#sell-outcome") == "Banks 100 units of Botox"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        assert await banked(app, shop.client_id) == 110


async def test_prepaid_5_bought_1_used_credits_4_visits_and_says_so(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await choose(pilot, f"prepaid-{shop.facial_id}")
        assert text_of(app, "#quantity-label") == "Qty Prch"
        assert app.screen.query_one("#used-row").display
        assert app.screen.query_one("#used", Input).value == "1"  # Qty Used defaults to 1
        await type_into(pilot, "#quantity", "5")
        # Seed 004: the line total is the per-visit price × Qty Prch.
        assert text_of(app, "#sell-total") == "Total £400.00  (5 × £80.00)"
        assert text_of(app, "#sell-outcome") == (
            "Adds 4 visits to the prepaid balance (5 bought, 1 used today)"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert result.prepaid_added == (("Signature Facial", 4),)
        assert result.total == Decimal("400.00")
        summary = await app.desk.clients.summary(shop.client_id)
        assert [(p.service_name, p.visits) for p in summary.prepaid] == [("Signature Facial", 4)]
        assert any(
            "4 visits of Signature Facial added to the prepaid balance" in n for n in notes(app)
        )


async def test_prepaid_with_nothing_used_today_credits_every_visit(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await choose(pilot, f"prepaid-{shop.facial_id}")
        await type_into(pilot, "#quantity", "3")
        await pilot.press("enter")  # Enter moves on to Qty Used
        assert app.screen.focused is app.screen.query_one("#used", Input)
        await type_into(pilot, "#used", "0")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert result.prepaid_added == (("Signature Facial", 3),)


BAD_QUANTITIES = [
    ("", "Enter a number"),
    ("0", "Number must be at least 1"),
    ("-1", "Number must not be negative"),
    ("1.5", "Type a whole number, without decimals or separators"),
    ("NaN", "Type a whole number using the digits 0-9"),
    ("٣", "Type the number with the digits 0-9"),  # Arabic-Indic three
    ("３", "Type the number with the digits 0-9"),  # fullwidth three
]


@pytest.mark.parametrize(("typed", "message"), BAD_QUANTITIES)
async def test_bad_quantity_shows_under_the_field_and_writes_nothing(
    sqlite_url: str, typed: str, message: str
) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        entries = await ledger_count(sqlite_url)
        screen = sell_screen(app)
        screen.query_one("#quantity", Input).value = typed
        await pilot.pause()
        assert text_of(app, "#sell-total") == "Total — (check the fields)"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#quantity-error"), what="the error under Quantity"
        )
        error = screen.query_one("#quantity-error")
        assert error.has_class("-shown")
        assert text_of(app, "#quantity-error") == f"Quantity: {message}"
        assert screen.focused is screen.query_one("#quantity", Input)
        assert app.results == []
        assert screen.calls == 0
        assert await ticket_count(sqlite_url) == 0
        assert await ledger_count(sqlite_url) == entries
        # Typing again clears the message.
        await type_into(pilot, "#quantity", "2")
        assert not error.has_class("-shown")
        assert text_of(app, "#sell-total") == "Total £18.00  (2 × £9.00)"


@pytest.mark.parametrize(
    ("used", "message"),
    [
        ("6", "Qty Used: Only 5 visits are being bought; cannot use 6"),
        ("-1", "Qty Used: Number must not be negative"),
        ("1.0", "Qty Used: Type a whole number, without decimals or separators"),
    ],
)
async def test_bad_qty_used_shows_under_it_and_writes_nothing(
    sqlite_url: str, used: str, message: str
) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        entries = await ledger_count(sqlite_url)
        await choose(pilot, f"prepaid-{shop.facial_id}")
        await type_into(pilot, "#quantity", "5")
        await type_into(pilot, "#used", used)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#used-error"), what="the error under Qty Used"
        )
        assert text_of(app, "#used-error") == message
        assert app.results == []
        assert await ticket_count(sqlite_url) == 0
        assert await ledger_count(sqlite_url) == entries


async def test_escape_writes_nothing(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        entries = await ledger_count(sqlite_url)
        await type_into(pilot, "#quantity", "3")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, what="the sale closed")
        assert app.results == [None]
        assert not isinstance(app.screen, SellScreen)
        assert await ticket_count(sqlite_url) == 0
        assert await ledger_count(sqlite_url) == entries
        assert await banked(app, shop.client_id) == 10


async def test_double_ctrl_s_sells_once(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        screen = sell_screen(app)
        await type_into(pilot, "#quantity", "5")
        await pilot.press("ctrl+s", "ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        assert screen.calls == 1
        assert len(app.results) == 1
        assert await ticket_count(sqlite_url) == 1
        assert await banked(app, shop.client_id) == 15


async def test_the_key_is_made_once_so_a_resend_replays(sqlite_url: str) -> None:
    """A retry (say, after an answer lost on the way back) carries the same key: the
    checkout returns the first ticket and writes nothing more."""
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        screen = sell_screen(app)
        key = screen.idempotency_key
        await type_into(pilot, "#quantity", "5")
        await pilot.pause()
        assert screen.idempotency_key == key
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        first = app.results[0]
        assert isinstance(first, CheckoutResult) and first.idempotency_key == key
        again = await app.desk.till.complete(
            CheckoutInput(idempotency_key=key, client_id=shop.client_id)
        )
        assert again.replayed and again.ticket_id == first.ticket_id
        assert await ticket_count(sqlite_url) == 1
        assert await banked(app, shop.client_id) == 15


async def test_total_updates_as_you_type(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await type_into(pilot, "#quantity", "")
        assert text_of(app, "#sell-total") == "Total — (check the fields)"
        await pilot.press("1")
        assert text_of(app, "#sell-total") == "Total £9.00  (1 × £9.00)"
        await pilot.press("2")
        assert text_of(app, "#sell-total") == "Total £108.00  (12 × £9.00)"
        assert text_of(app, "#sell-outcome") == "Banks 12 units of Botox"
        await pilot.press(".")
        assert text_of(app, "#sell-total") == "Total — (check the fields)"
        await pilot.press("backspace")
        # Another item: the same quantity, its own price.
        await choose(pilot, f"package-{shop.package_id}")
        assert text_of(app, "#sell-total") == "Total £4,800.00  (12 × £400.00)"


async def test_membership_discount_is_in_the_total_and_the_tender(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, discount_percent=Decimal("15"))
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await type_into(pilot, "#quantity", "10")
        assert text_of(app, "#sell-total") == (
            "Total £76.50  (10 × £9.00 = £90.00, membership discount −£13.50)"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert (result.total, result.card, result.change) == (
            Decimal("76.50"),
            Decimal("76.50"),
            Decimal("0.00"),
        )


async def test_cash_tender_is_chosen_with_the_keyboard(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        await type_into(pilot, "#quantity", "2")
        await pilot.press("enter")  # on to Pay by
        assert app.screen.focused is app.screen.query_one("#tender", RadioSet)
        await pilot.press("right", "enter")
        assert sell_screen(app).tender == "cash"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert (result.card, result.tendered) == (Decimal("0.00"), Decimal("18.00"))
        assert await payment_methods(sqlite_url) == ["cash"]
        assert any("£18.00 by cash" in n for n in notes(app))


async def test_without_future_product_usage_nothing_banks(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, banking=False)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        items = app.screen.query_one("#sell-items", OptionList)
        assert str(items.get_option_at_index(0).prompt) == "Botox · £9.00 / unit"
        assert text_of(app, "#sell-outcome") == "Nothing banked"
        await type_into(pilot, "#quantity", "4")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        result = app.results[0]
        assert isinstance(result, CheckoutResult)
        assert result.units_banked == ()
        assert await banked(app, shop.client_id) == 10


async def test_names_from_the_database_render_literally(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url, markup_client=True)
    app = sell_app(sqlite_url, shop)
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        assert text_of(app, "#sell-title") == (
            f"Sell to {MARKUP_FIRST} {MARKUP_LAST} · Mon 23 Nov 2026"
        )
        items = app.screen.query_one("#sell-items", OptionList)
        assert str(items.get_option_at_index(2).prompt).startswith(MARKUP_PRODUCT)
        await choose(pilot, items.get_option_at_index(2).id or "")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        assert len(app.results) == 1  # no [@click=app.quit] ran


class FailingTill(Till):
    failure: Exception = Conflict("The till is closed for the night")

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        raise self.failure


class BrokenTill(FailingTill):
    failure = RuntimeError("connection reset\nTraceback (most recent call last): ...")


@pytest.mark.parametrize(
    ("till", "message"),
    [
        (FailingTill, "Not sold: The till is closed for the night"),
        (BrokenTill, "Not sold: RuntimeError: connection reset"),
    ],
)
async def test_a_failed_sale_is_shown_in_words_and_can_be_retried(
    sqlite_url: str, till: type[Till], message: str
) -> None:
    shop = await build_shop(sqlite_url)
    app = sell_app(sqlite_url, shop, {"till": till})
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        screen = sell_screen(app)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#sell-message").startswith("Not sold"),
            what="the sale refused in words",
        )
        assert text_of(app, "#sell-message") == message
        assert app.results == []
        assert isinstance(app.screen, SellScreen)
        assert not screen.query_one("#sell-sell", Button).disabled
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: screen.calls == 2 and text_of(app, "#sell-message").startswith("Not sold"),
            what="the retry refused too",
        )
        assert screen.calls == 2
        assert await ticket_count(sqlite_url) == 0


class SlowTill(Till):
    """Holds the checkout until the test lets it go."""

    let_go: asyncio.Event

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        await self.let_go.wait()
        return await super().complete(data)


async def test_busy_while_selling_and_esc_waits_for_the_answer(sqlite_url: str) -> None:
    shop = await build_shop(sqlite_url)
    SlowTill.let_go = asyncio.Event()
    app = sell_app(sqlite_url, shop, {"till": SlowTill})
    async with app.run_test(size=SIZE) as pilot:
        await sell_opened(pilot)
        screen = sell_screen(app)
        await type_into(pilot, "#quantity", "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.has_class("-busy")
        assert screen.query_one("#sell-sell", Button).disabled
        assert text_of(app, "#sell-message") == "Completing the sale…"
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # Esc can't hide a sale that may be committing
        assert "Esc works again once it is done" in text_of(app, "#sell-message")
        SlowTill.let_go.set()
        await wait_until(pilot, lambda: app.results, what="the sale closed with its result")
        assert screen.calls == 1
        assert len(app.results) == 1 and isinstance(app.results[0], CheckoutResult)
        assert await ticket_count(sqlite_url) == 1
