"""Products: the list and the editor (issue 16, item 1; seed 000 for Usage Tracking).

A product has a name, a unit name (unit, syringe, ml), a unit price, Usage Tracking
(with the store's "Enable future product usage" on, units sold are banked for the client
to use later, B1), whether it may be an add-on to a service (the add-on picker offers
it) and the most units one add-on line may buy (1 to 999). Deactivated, never deleted:
units clients banked stay theirs to use.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Static

from frontdesk.domain.addons import MAX_BUY_PER_LINE
from frontdesk.domain.catalogue_rules import ProductInput, product_field_errors
from frontdesk.services.desk import Desk
from frontdesk.views import StoreView
from frontdesk.views.catalogue import ProductSetupView
from screens.catalogue_editor import CatalogueEditor
from screens.catalogue_list import CatalogueListScreen


def tracking_hint(store: StoreView) -> str:
    """What Usage Tracking does in this store (B1: both switches bank units)."""
    if store.future_product_usage:
        return (
            "Usage Tracking on: units sold are banked for the client to use at later "
            "visits (the store's “Enable future product usage” is on)."
        )
    return (
        "Usage Tracking banks units only while the store's “Enable future product usage” "
        "is on; it is off, so nothing is banked now."
    )


class ProductEditorModal(CatalogueEditor[ProductInput, ProductSetupView]):
    ERROR_FIELDS = ("name", "unit_name", "unit_price", "max_units_per_line", "addon_eligible")
    LAST_FIELD = "max_units_per_line"

    def __init__(
        self, desk: Desk, store: StoreView, product: ProductSetupView | None = None
    ) -> None:
        title = "New product" if product is None else f"Edit product: {product.name}"
        super().__init__(desk, store.money, title)
        self.store = store
        self.product = product

    def fields(self) -> ComposeResult:
        p = self.product
        yield from self.text_field("name", "Name", p.name if p else "", max_length=120)
        yield from self.text_field(
            "unit_name", "Unit name", p.unit_name if p else "unit", max_length=40
        )
        yield from self.text_field(
            "unit_price",
            "Unit price",
            self.amount_value(p.unit_price if p else None),
            placeholder=f"e.g. {self.money.for_input(Decimal(9))}",
            max_length=20,
        )
        yield self.tick("usage_tracking", "Usage Tracking", p.usage_tracking if p else False)
        yield Static(Content(tracking_hint(self.store)), classes="cat-hint")
        yield Static(id="tracking-warning", classes="cat-warning")
        yield self.tick("addon_eligible", "Add-on", p.addon_eligible if p else False)
        yield self.error_line("addon_eligible")
        yield from self.text_field(
            "max_units_per_line",
            "Max units/line",
            str(p.max_units_per_line if p else MAX_BUY_PER_LINE),
            placeholder=f"1 to {MAX_BUY_PER_LINE}",
            max_length=4,
        )

    def on_mount(self) -> None:
        # Beside CatalogueEditor.on_mount, not instead of it: Textual calls each class's.
        self._warn()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.set_error(event.checkbox.id or "", "")
        self._warn()

    def warning_text(self) -> str:
        box = self.query_one("#tracking-warning", Static)
        return str(box.render()) if box.display else ""

    def _warn(self) -> None:
        """Turning Usage Tracking off strands what clients banked (B1): said, not refused."""
        p = self.product
        stranded = p is not None and p.banked_units > 0 and not self.ticked("usage_tracking")
        box = self.query_one("#tracking-warning", Static)
        box.display = stranded
        if stranded and p is not None:
            box.update(
                Content(
                    f"⚠ Clients hold {p.banked_units} banked {p.unit_name}(s) of {p.name}: with "
                    "Usage Tracking off they cannot use them (sell with Buy instead) until it "
                    "is on again."
                )
            )

    def read_form(self) -> tuple[ProductInput, dict[str, str]]:
        errors: dict[str, str] = {}
        form = ProductInput(
            name=self.text("name"),
            unit_name=self.text("unit_name"),
            unit_price=self.amount("unit_price", errors),
            usage_tracking=self.ticked("usage_tracking"),
            addon_eligible=self.ticked("addon_eligible"),
            max_units_per_line=self.whole("max_units_per_line", errors),
        )
        return form, errors

    def field_errors(self, form: ProductInput) -> dict[str, str]:
        return product_field_errors(form, self.money)

    async def reread(self) -> None:
        if self.product is not None:
            self.product = await self.desk.catalogue_setup.product(self.product.id)

    async def submit(self, form: ProductInput) -> ProductSetupView:
        setup = self.desk.catalogue_setup
        if self.product is None:
            return await setup.create_product(form)
        return await setup.update_product(self.product.id, form, expected=self.product.as_input())


class ProductsSetupScreen(CatalogueListScreen[ProductSetupView]):
    TITLE_TEXT = "Products"
    COLUMNS = (
        ("Product", 22),
        ("Unit", 9),
        ("Price", 11),
        ("Tracked", 7),
        ("Add-on", 6),
        ("", 8),
    )

    store: StoreView | None = None

    async def fetch(self) -> tuple[ProductSetupView, ...]:
        self.store = await self.desk.catalog.store()
        return await self.desk.catalogue_setup.products(everyone=self.everyone)

    def hint(self) -> str:
        return tracking_hint(self.store) if self.store else ""

    def cells(self, row: ProductSetupView) -> Sequence[str]:
        assert self.store is not None
        return (
            row.name,
            row.unit_name,
            self.store.money.format(row.unit_price),
            "yes" if row.usage_tracking else "no",
            "yes" if row.addon_eligible else "no",
            "" if row.active else "inactive",
        )

    def editor(self, row: ProductSetupView | None) -> ModalScreen[ProductSetupView | None] | None:
        return None if self.store is None else ProductEditorModal(self.desk, self.store, row)

    async def switch(self, row: ProductSetupView) -> tuple[ProductSetupView, str]:
        changed = await self.desk.catalogue_setup.set_product_active(row.id, not row.active)
        return changed, f"{changed.name} is {'sold' if changed.active else 'not sold'}."
