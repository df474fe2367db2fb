"""The catalogue as its setup screens show it: services, products, packages, promotions.

Each row carries what its editor starts from; `as_input()` turns it back into the input
its save sends. A save sends the row it was opened on as `expected`: a row changed on
another terminal since is refused (docs/rules.md#catalogue-setup, G6).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.domain.catalogue_rules import (
    PackageInput,
    ProductInput,
    ProductUnits,
    PromotionInput,
    ServiceInput,
)
from frontdesk.views import InStoreMoney, View


class UnitsLineView(View):
    """Units of one product (a package's content, a service's default add-on)."""

    product_id: int
    product_name: str
    unit_name: str
    units: int


class ServiceSetupView(InStoreMoney):
    id: int
    name: str
    category: str
    duration_minutes: int
    price: Decimal
    commission_percent: Decimal
    commission_sale: Decimal  # dual system, per visit sold
    commission_redeem: Decimal  # dual system, per visit performed
    prepaid_allowed: bool
    active: bool
    addons: tuple[UnitsLineView, ...] = ()

    def as_input(self) -> ServiceInput:
        return ServiceInput(
            name=self.name,
            category=self.category,
            duration_minutes=self.duration_minutes,
            price=self.price,
            commission_percent=self.commission_percent,
            commission_sale=self.commission_sale,
            commission_redeem=self.commission_redeem,
            prepaid_allowed=self.prepaid_allowed,
            addons=tuple(ProductUnits(a.product_id, a.units) for a in self.addons),
        )


class ProductSetupView(InStoreMoney):
    id: int
    name: str
    unit_name: str
    unit_price: Decimal
    usage_tracking: bool
    addon_eligible: bool
    max_units_per_line: int
    active: bool
    # Units clients hold in their banks: with Usage Tracking off they cannot use them (B1).
    banked_units: int = 0

    def as_input(self) -> ProductInput:
        return ProductInput(
            name=self.name,
            unit_name=self.unit_name,
            unit_price=self.unit_price,
            usage_tracking=self.usage_tracking,
            addon_eligible=self.addon_eligible,
            max_units_per_line=self.max_units_per_line,
        )


class PackageSetupView(InStoreMoney):
    id: int
    name: str
    price: Decimal
    active: bool
    contents: tuple[UnitsLineView, ...] = ()

    def as_input(self) -> PackageInput:
        return PackageInput(
            name=self.name,
            price=self.price,
            contents=tuple(ProductUnits(c.product_id, c.units) for c in self.contents),
        )


class PromotionSetupView(InStoreMoney):
    id: int
    code: str
    description: str
    percent: Decimal | None
    fixed: Decimal | None
    valid_from: dt.date
    valid_to: dt.date | None
    once_per_client: bool
    active: bool
    uses: int = 0

    def as_input(self) -> PromotionInput:
        return PromotionInput(
            code=self.code,
            description=self.description,
            percent=self.percent,
            fixed=self.fixed,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            once_per_client=self.once_per_client,
        )
