"""Services: the list and the editor (issue 16, item 1).

A service has a name, a category, a duration in minutes, a price, its commission as the
store's commission system counts it (single: a percentage of what the line earns; dual:
an amount per visit sold and one per visit performed, docs/rules.md#commission), whether
it is sold prepaid, and the units of add-on products it normally needs (prefilled as
"needed" in the add-on picker, U1). The till charges the price saved here from the next
ticket completed (C1). Deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from frontdesk.domain.catalogue_rules import (
    MAX_DURATION_MINUTES,
    ServiceInput,
    parse_percent,
    service_field_errors,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.services.desk import Desk
from frontdesk.views import StoreView
from frontdesk.views.catalogue import ProductSetupView, ServiceSetupView
from screens.catalogue_editor import CatalogueEditor
from screens.catalogue_lines import UnitsLines
from screens.catalogue_list import CatalogueListScreen

DUAL = "dual"


def commission_cell(service: ServiceSetupView, store: StoreView) -> str:
    money = store.money
    if store.commission_system == DUAL:
        return f"{money.format(service.commission_sale)}/{money.format(service.commission_redeem)}"
    return f"{service.commission_percent.normalize():f}%"


class ServiceEditorModal(CatalogueEditor[ServiceInput, ServiceSetupView]):
    ERROR_FIELDS = (
        "name",
        "category",
        "duration_minutes",
        "price",
        "commission_percent",
        "commission_sale",
        "commission_redeem",
        "addons",
    )

    def __init__(
        self,
        desk: Desk,
        store: StoreView,
        addon_products: Sequence[ProductSetupView],
        service: ServiceSetupView | None = None,
    ) -> None:
        title = "New service" if service is None else f"Edit service: {service.name}"
        super().__init__(desk, store.money, title)
        self.dual = store.commission_system == DUAL
        self.LAST_FIELD = "commission_redeem" if self.dual else "commission_percent"
        self.service = service
        self.addon_products = tuple(addon_products)

    def fields(self) -> ComposeResult:
        s = self.service
        money = self.money
        yield from self.text_field("name", "Name", s.name if s else "", max_length=120)
        yield from self.text_field(
            "category", "Category", s.category if s else "", placeholder="e.g. Skin", max_length=60
        )
        yield from self.text_field(
            "duration_minutes",
            "Duration (min)",
            str(s.duration_minutes) if s else "",
            placeholder=f"1 to {MAX_DURATION_MINUTES}",
            max_length=4,
        )
        yield from self.text_field(
            "price",
            "Price",
            self.amount_value(s.price if s else None),
            placeholder=f"e.g. {money.for_input(Decimal(50))}",
            max_length=20,
        )
        if self.dual:
            yield Static(Content("Dual commission: an amount per visit"), classes="cat-hint")
            yield from self.text_field(
                "commission_sale", "Sold", self.amount_value(s.commission_sale if s else None)
            )
            yield from self.text_field(
                "commission_redeem",
                "Performed",
                self.amount_value(s.commission_redeem if s else None),
            )
        else:
            percent = f"{s.commission_percent.normalize():f}" if s else ""
            yield from self.text_field(
                "commission_percent", "Commission %", percent, placeholder="e.g. 10"
            )
        yield self.tick("prepaid_allowed", "Sold prepaid", s.prepaid_allowed if s else True)
        yield Static(Content("Default add-ons (units each visit needs)"), classes="cat-hint")
        products = [(p.id, p.name, p.unit_name) for p in self.addon_products]
        known = {p.id for p in self.addon_products}
        for line in s.addons if s else ():  # a product no longer an add-on still lists
            if line.product_id not in known:
                products.append((line.product_id, line.product_name, line.unit_name))
        start = s.as_input().addons if s else ()
        yield UnitsLines(products, start, id="addons")
        yield self.error_line("addons")

    def _percent(self, errors: dict[str, str]) -> Decimal:
        if self.dual:
            return self.service.commission_percent if self.service else Decimal(0)
        try:
            return parse_percent(
                self.text("commission_percent"), field="commission_percent", what="commission"
            )
        except ValidationError as exc:
            errors["commission_percent"] = exc.message
            return Decimal(0)

    def _dual(self, field: str, errors: dict[str, str]) -> Decimal:
        if self.dual:
            return self.amount(field, errors)
        kept = getattr(self.service, field, None)  # the other system's amounts, as saved
        return kept if isinstance(kept, Decimal) else Decimal(0)

    def read_form(self) -> tuple[ServiceInput, dict[str, str]]:
        errors: dict[str, str] = {}
        form = ServiceInput(
            name=self.text("name"),
            category=self.text("category"),
            duration_minutes=self.whole("duration_minutes", errors),
            price=self.amount("price", errors),
            commission_percent=self._percent(errors),
            commission_sale=self._dual("commission_sale", errors),
            commission_redeem=self._dual("commission_redeem", errors),
            prepaid_allowed=self.ticked("prepaid_allowed"),
            addons=self.query_one("#addons", UnitsLines).lines,
        )
        return form, errors

    def field_errors(self, form: ServiceInput) -> dict[str, str]:
        return service_field_errors(form, self.money)

    async def reread(self) -> None:
        if self.service is not None:
            self.service = await self.desk.catalogue_setup.service(self.service.id)

    async def submit(self, form: ServiceInput) -> ServiceSetupView:
        setup = self.desk.catalogue_setup
        if self.service is None:
            return await setup.create_service(form)
        return await setup.update_service(self.service.id, form, expected=self.service.as_input())


class ServicesSetupScreen(CatalogueListScreen[ServiceSetupView]):
    TITLE_TEXT = "Services · the till charges a new price from the next ticket"
    COLUMNS = (
        ("Service", 22),
        ("Min", 4),
        ("Price", 11),
        ("Commission", 15),
        ("Prepaid", 7),
        ("", 8),
    )

    store: StoreView | None = None
    addon_products: tuple[ProductSetupView, ...] = ()

    async def fetch(self) -> tuple[ServiceSetupView, ...]:
        self.store = await self.desk.catalog.store()
        products = await self.desk.catalogue_setup.products()
        self.addon_products = tuple(p for p in products if p.addon_eligible)
        return await self.desk.catalogue_setup.services(everyone=self.everyone)

    def cells(self, row: ServiceSetupView) -> Sequence[str]:
        assert self.store is not None
        return (
            row.name,
            str(row.duration_minutes),
            self.store.money.format(row.price),
            commission_cell(row, self.store),
            "yes" if row.prepaid_allowed else "no",
            "" if row.active else "inactive",
        )

    def editor(self, row: ServiceSetupView | None) -> ModalScreen[ServiceSetupView | None] | None:
        if self.store is None:
            return None
        return ServiceEditorModal(self.desk, self.store, self.addon_products, row)

    async def switch(self, row: ServiceSetupView) -> tuple[ServiceSetupView, str]:
        changed = await self.desk.catalogue_setup.set_service_active(row.id, not row.active)
        return changed, f"{changed.name} is {'offered' if changed.active else 'not offered'}."
