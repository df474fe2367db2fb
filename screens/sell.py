"""Sell products and services to the client from their profile (docs/rules.md#client-profile).

`SellScreen(desk, client_id, location_id, clock=...)` lists what can be sold —
products ("Botox · £9.00 / unit · banks units"), packages ("50 Botox units") and
prepaid services (a service sold as N visits, docs/rules.md#prepaid-services) — with a
quantity (for a prepaid service: Qty Prch and Qty Used, Qty Used 1 by default), the live
total from the checkout order (`frontdesk.domain.checkout.quote`: price × quantity, less
the client's membership discount), what completing the sale will bank or credit, and a
tender (card, cash or other) for the full amount.

`ctrl+s` (or Sell) checks the fields with the one parser (`parse_quantity`,
`visits_to_credit`), then makes ONE `desk.till.complete` call in an async worker, with an
idempotency key made once when the modal opens: a second press, or a retry after a lost
answer, can never sell twice. On success the result is announced ("4 visits added to
the prepaid balance", rule P2) and the modal dismisses with the `CheckoutResult`; Esc
dismisses with None and writes nothing. Errors are shown in words under their field or
above the buttons, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

import styles
from frontdesk.domain.checkout import (
    CheckoutLine,
    CheckoutRequest,
    CheckoutTotals,
    TenderMethod,
    quote,
)
from frontdesk.domain.errors import DomainError, ValidationError, describe
from frontdesk.domain.money import format_money
from frontdesk.domain.parsing import parse_quantity
from frontdesk.domain.prepaid import visits_to_credit
from frontdesk.services.desk import Desk
from frontdesk.views.till import (
    CheckoutInput,
    CheckoutResult,
    LineInput,
    SellCatalog,
    SellItem,
    SellKind,
    TenderInput,
)
from screens.reason import no_blink_in_tests

STYLES_DIR = Path(styles.__file__).parent
TENDERS: tuple[tuple[TenderMethod, str], ...] = (
    ("card", "Card"),
    ("cash", "Cash"),
    ("other", "Other"),
)
TENDER_WORDS: dict[TenderMethod, str] = {"card": "card", "cash": "cash", "other": "other payment"}

# Service field name -> the field on this modal that shows its error.
FIELD_FOR = {"quantity": "quantity", "qty_purchased": "quantity", "qty_used": "used"}
NOTHING_TO_SELL = "Nothing to sell yet: add products, packages or services to the store."


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def item_label(item: SellItem, currency: str, locale: str = "en_GB") -> str:
    """How an item reads in the list, e.g. "Botox · £9.00 / unit · banks units"."""
    price = format_money(item.price, currency, locale)
    if item.kind is SellKind.PRODUCT:
        label = f"{item.name} · {price} / {item.unit_name}"
        return f"{label} · banks {item.unit_name}s" if item.banks else label
    if item.kind is SellKind.PACKAGE:
        label = f"{item.name} · package {price}"
        return f"{label} · banks units" if item.banks else label
    return f"{item.name} · prepaid · {price} / visit"


def item_detail(item: SellItem) -> str:
    """One line under the list: what the highlighted item is and what selling it does."""
    if item.kind is SellKind.PRODUCT:
        if item.banks:
            return "Units go into the client's bank, to use on later visits."
        return "Sold over the counter: nothing is banked."
    if item.kind is SellKind.PACKAGE:
        if not item.contents:
            return "Package: no products in it."
        inside = ", ".join(
            f"{plural(c.units, c.unit_name)} {c.product_name}" for c in item.contents
        )
        return f"Contains {inside}" + (" (banked)" if item.banks else "")
    return "Per-visit price × Qty Prch; Qty Prch − Qty Used visits are credited."


class TenderRadio(RadioButton):
    """A radio button whose glyph says its state (● or blank), not its colour alone."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


@dataclass(frozen=True)
class Order:
    """The fields as typed, checked: what one ctrl+s would sell."""

    item: SellItem
    quantity: int
    qty_used: int
    totals: CheckoutTotals


def line_quote(item: SellItem, quantity: int, catalog: SellCatalog) -> CheckoutTotals:
    """The checkout order's own arithmetic for one line (membership discount included)."""
    return quote(
        CheckoutRequest(
            lines=(
                CheckoutLine(
                    key="0",
                    kind=item.line_kind,
                    description=item.name,
                    unit_price=item.price,
                    quantity=quantity,
                ),
            ),
            currency=catalog.currency,
            membership_discount_percent=catalog.membership_discount_percent,
        )
    )


def outcome_text(item: SellItem, quantity: int, qty_used: int) -> str:
    """What completing the sale adds to the client's stored value."""
    if item.kind is SellKind.PREPAID:
        credit = visits_to_credit(quantity, qty_used)
        return (
            f"Adds {plural(credit, 'visit')} to the prepaid balance "
            f"({quantity} bought, {qty_used} used today)"
        )
    if item.kind is SellKind.PRODUCT:
        if item.banks:
            return f"Banks {plural(quantity, item.unit_name)} of {item.name}"
        return "Nothing banked"
    banked = [
        f"{plural(c.units * quantity, c.unit_name)} of {c.product_name}"
        for c in item.contents
        if c.banks
    ]
    return f"Banks {', '.join(banked)}" if banked else "Nothing banked"


def sale_summary(result: CheckoutResult, method: TenderMethod | None) -> str:
    """The words shown after a sale (docs/rules.md#prepaid-services, P2: visits added)."""
    total = format_money(result.total, result.currency)
    paid = f" by {TENDER_WORDS[method]}" if method and result.total > 0 else ""
    parts = [f"Sold on ticket #{result.ticket_id}: {total}{paid}."]
    if result.change > 0:
        parts.append(f"Change {format_money(result.change, result.currency)}.")
    for name, visits in result.prepaid_added:
        parts.append(f"{plural(visits, 'visit')} of {name} added to the prepaid balance.")
    for name, units in result.units_banked:
        parts.append(f"{plural(units, 'unit')} of {name} banked.")
    if result.replayed:
        parts.append("(Already completed: nothing was sold twice.)")
    return " ".join(parts)


class SellScreen(ModalScreen[CheckoutResult | None]):
    """Sell one product, package or prepaid service to a client, paid in full."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "sell.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="sell.close"),
        Binding("ctrl+s", "sell", "Sell", id="sell.sell"),
    ]

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        location_id: int | None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(id="sell")
        self.desk = desk
        self.client_id = client_id
        self.location_id = location_id
        self.clock: Callable[[], dt.datetime] = clock or dt.datetime.now
        # One key for this ticket, made once: every press of Sell sends the same key.
        self.idempotency_key = f"sell-{uuid.uuid4().hex}"
        self.catalog: SellCatalog | None = None
        self.item: SellItem | None = None
        self._selling = False
        self.calls = 0  # checkout calls made (one per Sell that passed the field checks)

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="sell-dialog"):
            yield Static(Content(self._title("")), id="sell-title")
            yield OptionList(id="sell-items", compact=True)
            yield Static(id="sell-detail")
            with Horizontal(classes="sell-row"):
                yield Static(Content("Quantity"), id="quantity-label", classes="sell-label")
                yield Input("1", id="quantity", compact=True, max_length=12)
            yield Static(id="quantity-error", classes="field-error")
            with Horizontal(classes="sell-row", id="used-row"):
                yield Static(Content("Qty Used"), classes="sell-label")
                yield Input("1", id="used", compact=True, max_length=12)
                yield Static(Content("visits performed today (0 if none)"), id="used-help")
            yield Static(id="used-error", classes="field-error")
            yield Static(id="sell-total")
            yield Static(id="sell-outcome")
            with Horizontal(classes="sell-row", id="tender-row"):
                yield Static(Content("Pay by"), classes="sell-label")
                with RadioSet(id="tender", compact=True):
                    for index, (code, label) in enumerate(TENDERS):
                        yield TenderRadio(label, value=index == 0, id=f"tender-{code}")
            yield Static(id="sell-message")
            with Horizontal(id="sell-buttons"):
                yield Button("Sell", id="sell-sell", variant="primary", compact=True)
                yield Button("Cancel", id="sell-cancel", compact=True)
        yield Footer(compact=True)

    def _title(self, client_name: str) -> str:
        today = self.clock()
        when = f"{today:%a} {today.day} {today:%b %Y}"
        return f"Sell to {client_name} · {when}" if client_name else f"Sell · {when}"

    def on_mount(self) -> None:
        for box in self.query(Input):
            no_blink_in_tests(box)
        self.query_one("#used-row").display = False
        items = self.query_one("#sell-items", OptionList)
        items.loading = True
        items.focus()
        self._refresh_total()
        self.load()

    @work(exclusive=True, group="sell-load", exit_on_error=False)
    async def load(self) -> None:
        items = self.query_one("#sell-items", OptionList)
        try:
            catalog = await self.desk.till.sell_catalog(self.client_id)
        except Exception as exc:
            self.show_message(f"Could not load what can be sold: {describe(exc)}")
            return
        finally:
            items.loading = False
        self.catalog = catalog
        self.query_one("#sell-title", Static).update(Content(self._title(catalog.client_name)))
        items.add_options(
            Option(Content(item_label(i, catalog.currency, catalog.locale)), id=i.key)
            for i in catalog.items
        )
        if not catalog.items:
            self.show_message(NOTHING_TO_SELL)
            return
        items.highlighted = 0
        self._choose(catalog.items[0])

    # -- choosing and typing -------------------------------------------------------

    def _item_for(self, option_id: str | None) -> SellItem | None:
        if self.catalog is None or option_id is None:
            return None
        return next((i for i in self.catalog.items if i.key == option_id), None)

    def _choose(self, item: SellItem) -> None:
        self.item = item
        prepaid = item.kind is SellKind.PREPAID
        self.query_one("#sell-detail", Static).update(Content(item_detail(item)))
        self.query_one("#quantity-label", Static).update(
            Content("Qty Prch" if prepaid else "Quantity")
        )
        self.query_one("#used-row").display = prepaid
        if not prepaid:
            self.set_error("used", "")
        self._refresh_total()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        item = self._item_for(event.option.id)
        if item is not None:
            self._choose(item)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._item_for(event.option.id)
        if item is not None:
            self._choose(item)
            self.query_one("#quantity", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id in ("quantity", "used"):
            self.set_error(event.input.id, "")
        if not self._selling:
            self.show_message("")
        self._refresh_total()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on (Qty → Qty Used → Pay by); ctrl+s or the Sell button sells."""
        event.stop()
        if event.input.id == "quantity" and self.query_one("#used-row").display:
            self.query_one("#used", Input).focus()
        else:
            self.query_one("#tender", RadioSet).focus()

    def _parse(self, *, show: bool) -> Order | None:
        """The order the fields describe, or None; with `show`, errors go under the fields."""
        item, catalog = self.item, self.catalog
        if item is None or catalog is None:
            return None
        prepaid = item.kind is SellKind.PREPAID
        quantity_field = "Qty Prch" if prepaid else "Quantity"
        quantity = qty_used = None
        try:
            quantity = parse_quantity(
                self.query_one("#quantity", Input).value, field="quantity", minimum=1
            )
        except ValidationError as exc:
            if show:
                self.set_error("quantity", f"{quantity_field}: {exc}")
        if prepaid:
            try:
                qty_used = parse_quantity(
                    self.query_one("#used", Input).value, field="qty_used", minimum=0
                )
                if quantity is not None:
                    visits_to_credit(quantity, qty_used)
            except ValidationError as exc:
                qty_used = None
                if show:
                    self.set_error("used", f"Qty Used: {exc}")
        else:
            qty_used = 0
        if quantity is None or qty_used is None:
            return None
        try:
            totals = line_quote(item, quantity, catalog)
        except DomainError as exc:
            if show:
                self.set_error("quantity", f"{quantity_field}: {exc}")
            return None
        return Order(item, quantity, qty_used, totals)

    def _refresh_total(self) -> None:
        total = self.query_one("#sell-total", Static)
        outcome = self.query_one("#sell-outcome", Static)
        order = self._parse(show=False)
        catalog = self.catalog
        if order is None or catalog is None:
            total.update(Content("Total —" if self.item is None else "Total — (check the fields)"))
            outcome.update("")
            outcome.display = False
            return
        cur, loc = catalog.currency, catalog.locale
        t = order.totals
        each = format_money(order.item.price, cur, loc)
        due = format_money(t.total_after_discounts, cur, loc)
        text = f"Total {due}  ({order.quantity} × {each}"
        if t.membership_discount:
            text += (
                f" = {format_money(t.subtotal, cur, loc)}, membership discount "
                f"−{format_money(t.membership_discount, cur, loc)}"
            )
        total.update(Content(text + ")"))
        outcome.update(Content(outcome_text(order.item, order.quantity, order.qty_used)))
        outcome.display = True

    # -- messages ----------------------------------------------------------------

    def set_error(self, name: str, message: str) -> None:
        note = self.query_one(f"#{name}-error", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def show_message(self, message: str) -> None:
        note = self.query_one("#sell-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    @property
    def tender(self) -> TenderMethod:
        for code, _label in TENDERS:
            if self.query_one(f"#tender-{code}", RadioButton).value:
                return code
        return "card"

    def _set_busy(self, busy: bool) -> None:
        self._selling = busy
        self.set_class(busy, "-busy")
        self.query_one("#sell-sell", Button).disabled = busy
        if busy:
            self.show_message("Completing the sale…")

    # -- actions -----------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sell-sell":
            self.action_sell()
        else:
            self.action_close()

    def action_close(self) -> None:
        if self._selling:
            # The checkout may already be committing: closing now would hide its result.
            self.show_message("Completing the sale… Esc works again once it is done.")
            return
        self.dismiss(None)

    def action_sell(self) -> None:
        if self._selling:
            return
        if self.catalog is None or self.item is None:
            self.show_message(
                NOTHING_TO_SELL if self.catalog is not None else "Still loading the list…"
            )
            return
        order = self._parse(show=True)
        if order is None:
            if self.query_one("#quantity-error", Static).has_class("-shown"):
                self.query_one("#quantity", Input).focus()
            elif self.query_one("#used-error", Static).has_class("-shown"):
                self.query_one("#used", Input).focus()
            return
        method = self.tender
        self._set_busy(True)
        self.complete(self._checkout_input(order, method), method)

    def _checkout_input(self, order: Order, method: TenderMethod) -> CheckoutInput:
        item = order.item
        due = order.totals.total_after_discounts
        line = LineInput(
            kind=item.line_kind,
            product_id=item.id if item.kind is SellKind.PRODUCT else None,
            package_id=item.id if item.kind is SellKind.PACKAGE else None,
            service_id=item.id if item.kind is SellKind.PREPAID else None,
            # The seller, on the line: commission for a prepaid sale and a visit used today.
            staff_id=self.desk.staff_id if item.kind is SellKind.PREPAID else None,
            quantity=order.quantity,
            qty_used=order.qty_used,  # 0 unless prepaid; checkout reads it only there
        )
        return CheckoutInput(
            idempotency_key=self.idempotency_key,
            client_id=self.client_id,
            location_id=self.location_id,
            lines=(line,),
            tenders=(TenderInput(method=method, amount=due),) if due > 0 else (),
        )

    @work(exclusive=True, group="sell-checkout", exit_on_error=False)
    async def complete(self, data: CheckoutInput, method: TenderMethod) -> None:
        self.calls += 1
        try:
            result = await self.desk.till.complete(data)
        except ValidationError as exc:
            self._set_busy(False)
            self.show_message("")
            name = FIELD_FOR.get(exc.field)
            if name is None or (name == "used" and not self.query_one("#used-row").display):
                self.show_message(str(exc))
                return
            self.set_error(name, str(exc))
            self.query_one(f"#{name}", Input).focus()
            return
        except Exception as exc:
            self._set_busy(False)
            if not isinstance(exc, DomainError):
                self.log.error("sell failed", exc)
            self.show_message(f"Not sold: {describe(exc)}")
            return
        self.app.notify(sale_summary(result, method), title="Sale complete", timeout=8)
        self.dismiss(result)
