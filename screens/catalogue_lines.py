"""Units of products as a form field: a package's contents, a service's default add-ons.

The lines so far are listed; below them a product picker and a Units box: Enter in
Units (or the Set button) sets that product's units, replacing its line if it has one,
so a product is never listed twice; 0 units takes the line away. Keyboard only; the
product names are stored text, shown inert (`Content`).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from frontdesk.domain.catalogue_rules import MAX_LINE_UNITS, ProductUnits
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.parsing import parse_quantity


class UnitsLines(Vertical):
    """`products`: (id, name, unit name) a line may name; `lines`: the lines to start with."""

    def __init__(
        self,
        products: Sequence[tuple[int, str, str]],
        lines: Sequence[ProductUnits],
        *,
        id: str,
        empty: str = "none",
    ) -> None:
        super().__init__(id=id, classes="units-lines")
        self.products = {pid: (name, unit) for pid, name, unit in products}
        self.lines: tuple[ProductUnits, ...] = tuple(lines)
        self.empty = empty

    def compose(self) -> ComposeResult:
        yield Static(self._listing(), classes="units-listing")
        with Horizontal(classes="units-entry"):
            yield Select[int](
                ((Content(name), pid) for pid, (name, _unit) in self.products.items()),
                prompt="Product",
                classes="units-product",
                compact=True,
            )
            yield Input(placeholder="units", classes="units-count", compact=True, max_length=6)
            yield Button("Set", classes="units-set", compact=True)

    def _listing(self) -> Content:
        if not self.lines:
            return Content(self.empty)
        said = []
        for line in self.lines:
            name, unit = self.products.get(line.product_id, (f"product {line.product_id}", "unit"))
            said.append(f"{name} × {line.units} {unit}")
        return Content("; ".join(said))

    def set_units(self, product_id: int, units: int) -> None:
        """`units` of the product (0: no line for it), keeping the other lines' order."""
        kept = [line for line in self.lines if line.product_id != product_id]
        if units:
            at = next(
                (i for i, line in enumerate(self.lines) if line.product_id == product_id),
                len(kept),
            )
            kept.insert(at, ProductUnits(product_id, units))
        self.lines = tuple(kept)
        self.query_one(".units-listing", Static).update(self._listing())

    def _apply(self) -> None:
        product = self.query_one(".units-product", Select).value
        count = self.query_one(".units-count", Input)
        if not isinstance(product, int):
            self._say("Choose a product first")
            return
        try:
            units = parse_quantity(count.value, field=self.id or "", maximum=MAX_LINE_UNITS)
        except ValidationError as exc:
            self._say(exc.message)
            return
        self.set_units(product, units)
        count.value = ""
        self._say("")
        self.query_one(".units-product", Select).focus()

    def _say(self, message: str) -> None:
        self.post_message(self.Said(self, message))

    class Said(Message):
        """What the entry row has to say (a refused count), for the editor's error line;
        "" clears it."""

        def __init__(self, lines: UnitsLines, message: str) -> None:
            super().__init__()
            self.lines = lines
            self.message = message

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._apply()
