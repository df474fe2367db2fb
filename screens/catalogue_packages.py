"""Packages and their contents: the list and the editor (issue 16, item 1).

A package is one price for units of products ("Botox Bank — 50 units"); selling it banks
each usage-tracked product's units (B2). Contents: at least one product, each once, with
units above zero. Deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from frontdesk.domain.catalogue_rules import PackageInput, package_field_errors
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.desk import Desk
from frontdesk.views.catalogue import PackageSetupView, ProductSetupView
from screens.catalogue_editor import CatalogueEditor
from screens.catalogue_lines import UnitsLines
from screens.catalogue_list import CatalogueListScreen


def contents_cell(package: PackageSetupView) -> str:
    return ", ".join(f"{c.units} {c.product_name}" for c in package.contents)


class PackageEditorModal(CatalogueEditor[PackageInput, PackageSetupView]):
    ERROR_FIELDS = ("name", "price", "contents")
    LAST_FIELD = "price"

    def __init__(
        self,
        desk: Desk,
        money: MoneyContext,
        products: Sequence[ProductSetupView],
        package: PackageSetupView | None = None,
    ) -> None:
        title = "New package" if package is None else f"Edit package: {package.name}"
        super().__init__(desk, money, title)
        self.products = tuple(products)
        self.package = package

    def fields(self) -> ComposeResult:
        p = self.package
        yield from self.text_field("name", "Name", p.name if p else "", max_length=120)
        yield from self.text_field(
            "price",
            "Price",
            self.amount_value(p.price if p else None),
            placeholder=f"e.g. {self.money.for_input(Decimal(400))}",
            max_length=20,
        )
        yield Static(
            Content("Contents (choose a product, type its units, Enter; 0 removes it)"),
            classes="cat-hint",
        )
        choices = [(x.id, x.name, x.unit_name) for x in self.products]
        known = {x.id for x in self.products}
        for line in p.contents if p else ():  # a product no longer sold still lists
            if line.product_id not in known:
                choices.append((line.product_id, line.product_name, line.unit_name))
        yield UnitsLines(choices, p.as_input().contents if p else (), id="contents")
        yield self.error_line("contents")

    def read_form(self) -> tuple[PackageInput, dict[str, str]]:
        errors: dict[str, str] = {}
        form = PackageInput(
            name=self.text("name"),
            price=self.amount("price", errors),
            contents=self.query_one("#contents", UnitsLines).lines,
        )
        return form, errors

    def field_errors(self, form: PackageInput) -> dict[str, str]:
        return package_field_errors(form, self.money)

    async def reread(self) -> None:
        if self.package is not None:
            self.package = await self.desk.package_setup.package(self.package.id)

    async def submit(self, form: PackageInput) -> PackageSetupView:
        setup = self.desk.package_setup
        if self.package is None:
            return await setup.create(form)
        return await setup.update(self.package.id, form, expected=self.package.as_input())


class PackagesSetupScreen(CatalogueListScreen[PackageSetupView]):
    TITLE_TEXT = "Packages"
    COLUMNS = (("Package", 24), ("Price", 11), ("Contents", 27), ("", 8))

    money: MoneyContext | None = None
    products: tuple[ProductSetupView, ...] = ()

    async def fetch(self) -> tuple[PackageSetupView, ...]:
        self.money = (await self.desk.catalog.store()).money
        self.products = await self.desk.catalogue_setup.products()
        return await self.desk.package_setup.packages(everyone=self.everyone)

    def cells(self, row: PackageSetupView) -> Sequence[str]:
        assert self.money is not None
        return (
            row.name,
            self.money.format(row.price),
            contents_cell(row),
            "" if row.active else "inactive",
        )

    def editor(self, row: PackageSetupView | None) -> ModalScreen[PackageSetupView | None] | None:
        if self.money is None:
            return None
        return PackageEditorModal(self.desk, self.money, self.products, row)

    async def switch(self, row: PackageSetupView) -> tuple[PackageSetupView, str]:
        changed = await self.desk.package_setup.set_active(row.id, not row.active)
        return changed, f"{changed.name} is {'sold' if changed.active else 'not sold'}."
