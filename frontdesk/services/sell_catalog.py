"""What can be sold to a client from their profile: products, packages, prepaid services.

One read for the Sell modal: the store's currency and locale, the client's name and best
membership discount (the same one checkout applies), and every active item with the
price checkout will charge for it. Whether a product or package banks units is the rule
checkout applies when the sale completes (`frontdesk.services.checkout._price_line`:
future product usage on *and* usage tracking on the product); it is repeated here only to
label the item, never to decide what is written.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select

from frontdesk.db.tables import Client, Package, PackageItem, Product, Service
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import NotFound
from frontdesk.domain.money import from_minor
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout import _membership_discount
from frontdesk.services.context import ServiceContext
from frontdesk.views import View


class SellKind(StrEnum):
    PRODUCT = "product"
    PACKAGE = "package"
    PREPAID = "prepaid"


# The checkout line each kind of item becomes.
LINE_KIND: dict[SellKind, LineKind] = {
    SellKind.PRODUCT: LineKind.PRODUCT,
    SellKind.PACKAGE: LineKind.PRODUCT,  # with package_id: checkout banks its items
    SellKind.PREPAID: LineKind.PREPAID_SALE,
}


class PackageContent(View):
    product_name: str
    unit_name: str
    units: int
    banks: bool


class SellItem(View):
    """One thing on the Sell list. `price` is per unit (product), per package, or per
    visit (prepaid service: the ticket charges it times Qty Purchased)."""

    kind: SellKind
    id: int  # product, package or service id, by kind
    name: str
    price: Decimal
    unit_name: str = ""  # products: "unit", "tube"; prepaid: "visit"
    banks: bool = False  # completing the sale puts units in the client's bank
    contents: tuple[PackageContent, ...] = ()

    @property
    def line_kind(self) -> LineKind:
        return LINE_KIND[self.kind]

    @property
    def key(self) -> str:
        return f"{self.kind.value}-{self.id}"


class SellCatalog(View):
    client_id: int
    client_name: str
    currency: str
    locale: str
    future_product_usage: bool
    membership_discount_percent: Decimal
    items: tuple[SellItem, ...]


async def sell_catalog(ctx: ServiceContext, client_id: int) -> SellCatalog:
    async with ctx.read() as session:
        store = await load_store(session)
        cur = store.currency
        client = await session.get(Client, client_id)
        if client is None:
            raise NotFound("client")
        items: list[SellItem] = []
        products = (
            await session.execute(
                select(Product).where(Product.active.is_(True)).order_by(Product.name, Product.id)
            )
        ).scalars()
        for product in products:
            items.append(
                SellItem(
                    kind=SellKind.PRODUCT,
                    id=product.id,
                    name=product.name,
                    price=from_minor(product.unit_price_minor, cur),
                    unit_name=product.unit_name,
                    banks=store.future_product_usage and product.usage_tracking,
                )
            )
        packages = list(
            (
                await session.execute(
                    select(Package)
                    .where(Package.active.is_(True))
                    .order_by(Package.name, Package.id)
                )
            ).scalars()
        )
        contents: dict[int, list[PackageContent]] = {}
        if packages:
            rows = await session.execute(
                select(PackageItem, Product)
                .join(Product, Product.id == PackageItem.product_id)
                .where(PackageItem.package_id.in_([p.id for p in packages]))
                .order_by(PackageItem.package_id, Product.name, Product.id)
            )
            for item, product in rows:
                contents.setdefault(item.package_id, []).append(
                    PackageContent(
                        product_name=product.name,
                        unit_name=product.unit_name,
                        units=item.units,
                        banks=store.future_product_usage and product.usage_tracking,
                    )
                )
        for package in packages:
            inside = tuple(contents.get(package.id, ()))
            items.append(
                SellItem(
                    kind=SellKind.PACKAGE,
                    id=package.id,
                    name=package.name,
                    price=from_minor(package.price_minor, cur),
                    banks=any(c.banks for c in inside),
                    contents=inside,
                )
            )
        services = (
            await session.execute(
                select(Service)
                .where(Service.active.is_(True), Service.prepaid_allowed.is_(True))
                .order_by(Service.name, Service.id)
            )
        ).scalars()
        for service in services:
            items.append(
                SellItem(
                    kind=SellKind.PREPAID,
                    id=service.id,
                    name=service.name,
                    price=from_minor(service.price_minor, cur),
                    unit_name="visit",
                )
            )
        return SellCatalog(
            client_id=client.id,
            client_name=f"{client.first_name} {client.last_name}".strip(),
            currency=cur,
            locale=store.locale,
            future_product_usage=store.future_product_usage,
            membership_discount_percent=await _membership_discount(session, client_id),
            items=tuple(items),
        )
