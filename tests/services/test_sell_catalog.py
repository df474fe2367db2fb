"""The Sell list: what a client can be sold, priced as checkout prices it, on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import update

from frontdesk.db.tables import Membership, Product, Service
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import NotFound
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, SellItem, SellKind, TenderInput
from tests.services.world import build_world


def by_key(items: tuple[SellItem, ...]) -> dict[str, SellItem]:
    return {item.key: item for item in items}


async def test_lists_products_packages_and_prepaid_services(
    ctx: ServiceContext, desk: Desk
) -> None:
    w = await build_world(ctx)
    catalog = await desk.till.sell_catalog(w.client)
    assert catalog.client_name == "Amelia Hart"
    assert (catalog.currency, catalog.locale) == ("GBP", "en_GB")
    assert catalog.membership_discount_percent == 0
    items = by_key(catalog.items)
    botox = items[f"product-{w.botox}"]
    assert (botox.name, botox.price, botox.unit_name, botox.banks) == (
        "Botox",
        Decimal("9.00"),
        "unit",
        True,
    )
    assert botox.line_kind is LineKind.PRODUCT
    assert items[f"product-{w.serum}"].banks is False
    package = items[f"package-{w.package}"]
    assert (package.price, package.banks) == (Decimal("400.00"), True)
    assert [(c.product_name, c.units, c.banks) for c in package.contents] == [("Botox", 50, True)]
    assert package.line_kind is LineKind.PRODUCT
    massage = items[f"prepaid-{w.massage}"]
    assert (massage.price, massage.unit_name) == (Decimal("80.00"), "visit")
    assert massage.line_kind is LineKind.PREPAID_SALE
    kinds = [item.kind for item in catalog.items]
    assert kinds == sorted(kinds, key=list(SellKind).index)  # products, packages, services


async def test_nothing_banks_when_future_product_usage_is_off(
    ctx: ServiceContext, desk: Desk
) -> None:
    w = await build_world(ctx, future_product_usage=False)
    catalog = await desk.till.sell_catalog(w.client)
    assert catalog.future_product_usage is False
    assert not any(item.banks for item in catalog.items)


async def test_inactive_items_and_services_not_sold_prepaid_are_left_out(
    ctx: ServiceContext, desk: Desk
) -> None:
    w = await build_world(ctx)
    async with ctx.transaction() as s:
        await s.execute(update(Product).where(Product.id == w.serum).values(active=False))
        await s.execute(update(Service).where(Service.id == w.facial).values(prepaid_allowed=False))
    keys = by_key((await desk.till.sell_catalog(w.client)).items)
    assert f"product-{w.serum}" not in keys
    assert f"prepaid-{w.facial}" not in keys
    assert f"prepaid-{w.massage}" in keys


async def test_carries_the_membership_discount_checkout_applies(
    ctx: ServiceContext, desk: Desk
) -> None:
    w = await build_world(ctx)
    async with ctx.transaction() as s:
        s.add(
            Membership(
                client_id=w.client,
                plan_id=w.plan_auto,
                status="active",
                started_on=dt.date(2026, 1, 1),
            )
        )
    catalog = await desk.till.sell_catalog(w.client)
    assert catalog.membership_discount_percent == Decimal("15")


async def test_unknown_client(ctx: ServiceContext, desk: Desk) -> None:
    await build_world(ctx)
    with pytest.raises(NotFound):
        await desk.till.sell_catalog(999_999)


async def test_selling_a_listed_item_charges_its_listed_price(
    ctx: ServiceContext, desk: Desk
) -> None:
    w = await build_world(ctx)
    desk = desk.as_staff(w.desk)
    items = by_key((await desk.till.sell_catalog(w.client)).items)
    package = items[f"package-{w.package}"]
    result = await desk.till.complete(
        CheckoutInput(
            idempotency_key="sell-catalog-1",
            client_id=w.client,
            lines=(LineInput(kind=package.line_kind, package_id=package.id, quantity=2),),
            tenders=(TenderInput(method="card", amount=package.price * 2),),
        )
    )
    assert result.total == Decimal("800.00")
    assert result.units_banked == (("Botox", 100),)
