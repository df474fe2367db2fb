"""The add-on picker's rows: one product's Use and Buy quantity inputs, the state behind
them, and the totals line ("To use: 10 units · To buy: 5 units · £…")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType, NoBinding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from frontdesk.domain.addons import AddonSplit
from frontdesk.domain.money_context import MoneyContext
from frontdesk.views.addons import PickerProduct

Field = Literal["use", "buy"]
FIELDS: tuple[Field, ...] = ("use", "buy")


def units(count: int, unit_name: str = "unit") -> str:
    """Count and unit, e.g. "1 unit", "5 units"; plural unit names ("ml", "units") stay."""
    if count == 1 or unit_name.endswith("s"):
        return f"{count} {unit_name}"
    return f"{count} {unit_name}s"


def totals_line(rows: list[RowState], money_context: MoneyContext) -> str:
    """The picker's totals, e.g. "From bank: 10 units · To buy: 5 units £45.00". With two
    products or more each is named ("10 Botox units + 1 Numbing Cream tube"): a sum of
    units and tubes said nothing."""
    cost = sum((r.split.buy * r.product.unit_price for r in rows), Decimal(0))
    money = money_context.format(cost)

    def part(attr: str) -> str:
        counted = [r for r in rows if getattr(r.split, attr)]
        if len(counted) <= 1:
            return units(sum(getattr(r.split, attr) for r in rows))
        return " + ".join(
            f"{getattr(r.split, attr)} {r.product.name} "
            + units(getattr(r.split, attr), r.product.unit_name).split(" ", 1)[1]
            for r in counted
        )

    return f"From bank: {part('use')} · To buy: {part('buy')} {money}"


@dataclass
class RowState:
    """One SELECTION row: the product, its current split, and any field errors."""

    product: PickerProduct
    split: AddonSplit
    # Already on the appointment: sending it replaces that line (even with 0/0, which
    # the service refuses with its own message rather than silently dropping it).
    existing: bool = False
    errors: dict[Field, str] = field(default_factory=dict)


class QuantityInput(Input):
    """A units field: digits type; `+`/`-` ask the screen to step by one unit (through
    the Use/Buy rule, which may change the other field); the screen validates the text.
    `delete` asks to take the whole line off (ctrl+d still deletes to the right)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "remove_line", "Remove line", id="addons.remove"),
    ]

    class Stepped(Message):
        def __init__(self, box: QuantityInput, delta: int) -> None:
            super().__init__()
            self.box = box
            self.delta = delta

    class RemoveLine(Message):
        def __init__(self, product_id: int) -> None:
            super().__init__()
            self.product_id = product_id

    def action_remove_line(self) -> None:
        self.post_message(self.RemoveLine(self.product_id))

    def __init__(self, value: int, *, product_id: int, field_name: Field, disabled: bool) -> None:
        super().__init__(
            str(value),
            id=f"{field_name}-{product_id}",
            classes=f"qty qty-{field_name}",
            compact=True,
            disabled=disabled,
        )
        self.product_id = product_id
        self.field_name: Field = field_name

    async def _on_key(self, event: events.Key) -> None:
        if event.character in ("+", "-"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Stepped(self, 1 if event.character == "+" else -1))
            return
        if not event.is_printable and (action := self._own_action(event.key)):
            # Run the field's own editing keys (backspace, arrows, delete) here, in key
            # order. Left to Textual, a bound key bubbles to the app and back as an
            # action, so in a fast burst "1 2 backspace 3" the 3 landed first and the
            # backspace then deleted it ("12", not "13").
            event.stop()
            event.prevent_default()
            await self.run_action(action)
            return
        await super()._on_key(event)

    def _own_action(self, key: str) -> str | None:
        try:
            bindings = self._bindings.get_bindings_for_key(key)
        except NoBinding:
            return None
        return bindings[0].action if bindings else None

    def set_text(self, text: str, *, select: bool = False) -> None:
        """Show `text`; with `select` (after `+`/`-`) the whole number is selected so the
        next digit typed replaces it (19, then "20", is 20, not 1920)."""
        if self.value != text:
            self.value = text
        if select:
            self.select_all()
        else:
            self.cursor_position = len(self.value)


class SelectionRow(Vertical):
    """Product · Use [ ] of N owned · Buy [ ] · cost, with an error line under it."""

    def __init__(self, row: RowState, money: MoneyContext) -> None:
        super().__init__(id=f"sel-{row.product.product_id}", classes="sel-row")
        self.row = row
        self._money = money

    def compose(self) -> ComposeResult:
        p = self.row.product
        with Horizontal(classes="sel-line"):
            yield Static(Content(p.name), classes="sel-name")
            yield Static(Content("Use"), classes="sel-label")
            yield QuantityInput(
                self.row.split.use,
                product_id=p.product_id,
                field_name="use",
                disabled=self.row.split.owned == 0,
            )
            yield Static(classes="sel-owned")
            yield Static(Content("Buy"), classes="sel-label")
            yield QuantityInput(
                self.row.split.buy, product_id=p.product_id, field_name="buy", disabled=False
            )
            yield Static(classes="sel-cost")
        yield Static(classes="sel-error")

    def on_mount(self) -> None:
        self.refresh_row()

    def input(self, name: Field) -> QuantityInput:
        return self.query_one(f"#{name}-{self.row.product.product_id}", QuantityInput)

    def refresh_row(self, *, fields: bool = False) -> None:
        """Show the row's split (and the inputs too when `fields`), owned count and errors."""
        split = self.row.split
        if fields:
            values: tuple[tuple[Field, int], ...] = (("use", split.use), ("buy", split.buy))
            for name, value in values:
                if name not in self.row.errors:
                    self.input(name).set_text(str(value))
            self.input("use").disabled = split.owned == 0
        self.query_one(".sel-owned", Static).update(Content(f"of {split.owned} owned"))
        cost = split.buy * self.row.product.unit_price
        self.query_one(".sel-cost", Static).update(Content(self._money.format(cost)))
        error = self.query_one(".sel-error", Static)
        messages = [self.row.errors[name] for name in FIELDS if name in self.row.errors]
        error.update(Content(" · ".join(messages)))
        error.display = bool(messages)
        self.set_class(bool(messages), "-invalid")
