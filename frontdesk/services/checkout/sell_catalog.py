"""What can be sold to a client: products, packages, prepaid services, membership plans.

One read for the Sell modal: the store's currency and locale, the client's name and best
membership discount (the same one checkout applies), and every active item with the
price checkout will charge for it. Whether a product or package banks units is the rule
checkout applies when the sale completes (`frontdesk.services.checkout.pricing`:
future product usage on *and* usage tracking on the product); it is repeated here only to
label the item, never to decide what is written.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Client,
    Membership,
    MembershipCycle,
    MembershipPlan,
    Package,
    PackageItem,
    Product,
    Service,
)
from frontdesk.db.tables.base import local_today
from frontdesk.domain.errors import NotFound
from frontdesk.domain.memberships import CYCLE_WORD
from frontdesk.domain.money import from_minor
from frontdesk.domain.plans import BillingCycle
from frontdesk.domain.renewals import PAST_DUE
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.pricing import membership_discount
from frontdesk.views.till import PackageContent, SellCatalog, SellItem, SellKind


async def _due_renewals(session: AsyncSession, client_id: int, cur: str) -> list[SellItem]:
    """The client's active memberships whose cycle has started and is not paid: a card
    the run could not charge (past due), or one the run has not reached yet. Paid at the
    desk, the cycle follows the run's own rule (docs/rules.md, R5 and W8)."""
    rows = await session.execute(
        select(Membership, MembershipPlan, MembershipCycle.status)
        .join(MembershipPlan, MembershipPlan.id == Membership.plan_id)
        .outerjoin(
            MembershipCycle,
            (MembershipCycle.membership_id == Membership.id)
            & (MembershipCycle.cycle_start == Membership.next_renewal),
        )
        .where(
            Membership.client_id == client_id,
            Membership.status == "active",
            Membership.next_renewal <= local_today(),
        )
        .order_by(Membership.next_renewal, Membership.id)
    )
    return [
        SellItem(
            kind=SellKind.RENEWAL,
            id=m.id,
            name=plan.name,
            price=from_minor(plan.price_minor, cur),
            due=m.next_renewal,
            past_due=status in PAST_DUE,
        )
        for m, plan, status in rows
    ]


class SellCatalogCases(Area):
    """The till's list of what can be sold to a client, priced."""

    async def sell_catalog(self, client_id: int) -> SellCatalog:
        async with self.ctx.read() as session:
            store = await load_store(session)
            cur = store.currency
            client = await session.get(Client, client_id)
            if client is None:
                raise NotFound("client")
            items: list[SellItem] = []
            products = (
                await session.execute(
                    select(Product)
                    .where(Product.active.is_(True))
                    .order_by(Product.name, Product.id)
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
            plans = (
                await session.execute(
                    select(MembershipPlan)
                    .where(MembershipPlan.active.is_(True))
                    .order_by(MembershipPlan.name, MembershipPlan.id)
                )
            ).scalars()
            for plan in plans:  # its first payment; checkout refuses a client already a member
                items.append(
                    SellItem(
                        kind=SellKind.MEMBERSHIP,
                        id=plan.id,
                        name=plan.name,
                        price=from_minor(plan.price_minor, cur),
                        unit_name=CYCLE_WORD[BillingCycle(plan.billing_cycle)],
                    )
                )
            # A renewal due (a declined card) first: it is why the client is at the desk.
            items[:0] = await _due_renewals(session, client_id, cur)
            return SellCatalog(
                client_id=client.id,
                client_name=f"{client.first_name} {client.last_name}".strip(),
                currency=cur,
                locale=store.locale,
                future_product_usage=store.future_product_usage,
                membership_discount_percent=await membership_discount(session, client_id),
                items=tuple(items),
            )
