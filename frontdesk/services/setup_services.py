"""Services and products as the store sets them up (issue 16, item 1).

Anyone signed in may read them; every write needs "setup". Nothing is ever deleted:
tickets, appointments, ledger accounts and plans point at services and products, so a
row is deactivated instead (no longer offered at the desk; history keeps its name).
A changed price is what the till charges from then on: it prices lines from the
catalogue when a ticket is completed (docs/rules.md#checkout-order, C1), never from what
a screen showed earlier. Rules: `frontdesk.domain.catalogue_rules`, docs/rules.md G1-G6.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Product, Service, ServiceAddonDefault, StoredValueAccount
from frontdesk.domain.catalogue_rules import (
    ProductInput,
    ProductUnits,
    ServiceInput,
    check_product,
    check_service,
)
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.setup_common import product_lines, refuse_stale, store_money
from frontdesk.services.staff import require
from frontdesk.views.catalogue import ProductSetupView, ServiceSetupView, UnitsLineView


def _service_view(
    row: Service, money: MoneyContext, addons: tuple[UnitsLineView, ...]
) -> ServiceSetupView:
    return ServiceSetupView(
        currency=money.currency,
        locale=money.locale,
        id=row.id,
        name=row.name,
        category=row.category,
        duration_minutes=row.duration_minutes,
        price=money.from_minor(row.price_minor),
        commission_percent=row.commission_percent,
        commission_sale=money.from_minor(row.commission_sale_minor),
        commission_redeem=money.from_minor(row.commission_redeem_minor),
        prepaid_allowed=row.prepaid_allowed,
        active=row.active,
        addons=addons,
    )


def _product_view(row: Product, money: MoneyContext, banked: int = 0) -> ProductSetupView:
    return ProductSetupView(
        currency=money.currency,
        locale=money.locale,
        id=row.id,
        name=row.name,
        unit_name=row.unit_name,
        unit_price=money.from_minor(row.unit_price_minor),
        usage_tracking=row.usage_tracking,
        addon_eligible=row.addon_eligible,
        max_units_per_line=row.max_units_per_line,
        active=row.active,
        banked_units=banked,
    )


async def _banked(session: AsyncSession, product_ids: list[int]) -> dict[int, int]:
    """Units clients hold of each product (positive balances only)."""
    rows = await session.execute(
        select(StoredValueAccount.product_id, func.sum(StoredValueAccount.balance))
        .where(
            StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
            StoredValueAccount.product_id.in_(product_ids),
            StoredValueAccount.balance > 0,
        )
        .group_by(StoredValueAccount.product_id)
    )
    return {int(pid): int(units) for pid, units in rows if pid is not None}


async def _addons(session: AsyncSession, service_ids: list[int]) -> dict[int, list[UnitsLineView]]:
    rows = await session.execute(
        select(ServiceAddonDefault, Product)
        .join(Product, Product.id == ServiceAddonDefault.product_id)
        .where(ServiceAddonDefault.service_id.in_(service_ids))
        .order_by(Product.name, Product.id)
    )
    found: dict[int, list[UnitsLineView]] = {}
    for default, product in rows:
        found.setdefault(default.service_id, []).append(
            UnitsLineView(
                product_id=product.id,
                product_name=product.name,
                unit_name=product.unit_name,
                units=default.default_units,
            )
        )
    return found


def _write_service(row: Service, service: ServiceInput, money: MoneyContext) -> None:
    row.name = service.name
    row.category = service.category
    row.duration_minutes = service.duration_minutes
    row.price_minor = money.to_minor(service.price)
    row.commission_percent = service.commission_percent
    row.commission_sale_minor = money.to_minor(service.commission_sale)
    row.commission_redeem_minor = money.to_minor(service.commission_redeem)
    row.prepaid_allowed = service.prepaid_allowed


def _write_product(row: Product, product: ProductInput, money: MoneyContext) -> None:
    row.name = product.name
    row.unit_name = product.unit_name
    row.unit_price_minor = money.to_minor(product.unit_price)
    row.usage_tracking = product.usage_tracking
    row.addon_eligible = product.addon_eligible
    row.max_units_per_line = product.max_units_per_line


class CatalogueSetup(Area):
    """Services (with their default add-on units and prepaid switch) and products."""

    # -- services ------------------------------------------------------------------

    async def services(self, *, everyone: bool = False) -> tuple[ServiceSetupView, ...]:
        """Offered services by name (`everyone`: the deactivated too)."""
        async with self.ctx.read() as session:
            money = await store_money(session)
            stmt = select(Service).order_by(Service.name, Service.id)
            if not everyone:
                stmt = stmt.where(Service.active.is_(True))
            rows = list((await session.execute(stmt)).scalars())
            addons = await _addons(session, [r.id for r in rows])
            return tuple(_service_view(r, money, tuple(addons.get(r.id, ()))) for r in rows)

    async def service(self, service_id: int) -> ServiceSetupView:
        async with self.ctx.read() as session:
            return await self._service_view(session, await self._service(session, service_id))

    async def create_service(self, service: ServiceInput) -> ServiceSetupView:
        """A new service, offered at once. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_service(service, money)
            await product_lines(session, clean.addons, "addons", addon_only=True)
            row = Service(active=True)
            _write_service(row, clean, money)
            session.add(row)
            await session.flush()
            await self._replace_addons(session, row.id, clean.addons)
            return await self._service_view(session, row)

    async def update_service(
        self, service_id: int, service: ServiceInput, *, expected: ServiceInput | None = None
    ) -> ServiceSetupView:
        """Change a service; refused if it changed elsewhere since `expected` was read.
        Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_service(service, money)
            await product_lines(session, clean.addons, "addons", addon_only=True)
            row = await self._service(session, service_id, lock=True)
            refuse_stale((await self._service_view(session, row)).as_input(), expected)
            _write_service(row, clean, money)
            await self._replace_addons(session, row.id, clean.addons)
            await session.flush()
            return await self._service_view(session, row)

    async def set_service_active(self, service_id: int, active: bool) -> ServiceSetupView:
        """Offer a service again, or stop offering it. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._service(session, service_id, lock=True)
            row.active = active
            await session.flush()
            return await self._service_view(session, row)

    async def set_prepaid(self, service_id: int, allowed: bool) -> ServiceSetupView:
        """Sell the service prepaid (Qty Purchased × its per-visit price, P1) or stop.
        Visits already bought stay redeemable. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._service(session, service_id, lock=True)
            row.prepaid_allowed = allowed
            await session.flush()
            return await self._service_view(session, row)

    @staticmethod
    async def _service(session: AsyncSession, service_id: int, *, lock: bool = False) -> Service:
        row = await session.get(Service, service_id, with_for_update=lock)
        if row is None:
            raise NotFound(f"service {service_id}")
        return row

    @staticmethod
    async def _service_view(session: AsyncSession, row: Service) -> ServiceSetupView:
        addons = await _addons(session, [row.id])
        return _service_view(row, await store_money(session), tuple(addons.get(row.id, ())))

    @staticmethod
    async def _replace_addons(
        session: AsyncSession, service_id: int, addons: tuple[ProductUnits, ...]
    ) -> None:
        await session.execute(
            delete(ServiceAddonDefault).where(ServiceAddonDefault.service_id == service_id)
        )
        session.add_all(
            ServiceAddonDefault(
                service_id=service_id, product_id=a.product_id, default_units=a.units
            )
            for a in addons
        )
        await session.flush()

    # -- products ------------------------------------------------------------------

    async def products(self, *, everyone: bool = False) -> tuple[ProductSetupView, ...]:
        async with self.ctx.read() as session:
            money = await store_money(session)
            stmt = select(Product).order_by(Product.name, Product.id)
            if not everyone:
                stmt = stmt.where(Product.active.is_(True))
            rows = list((await session.execute(stmt)).scalars())
            banked = await _banked(session, [r.id for r in rows])
            return tuple(_product_view(r, money, banked.get(r.id, 0)) for r in rows)

    async def product(self, product_id: int) -> ProductSetupView:
        async with self.ctx.read() as session:
            row = await self._product(session, product_id)
            banked = await _banked(session, [row.id])
            return _product_view(row, await store_money(session), banked.get(row.id, 0))

    async def create_product(self, product: ProductInput) -> ProductSetupView:
        """A new product, offered at once. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            row = Product(active=True)
            _write_product(row, check_product(product, money), money)
            session.add(row)
            await session.flush()
            return _product_view(row, money)

    async def update_product(
        self, product_id: int, product: ProductInput, *, expected: ProductInput | None = None
    ) -> ProductSetupView:
        """Change a product. Turning "Add-on" off is refused while a service names it as
        a default add-on (G2). Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_product(product, money)
            row = await self._product(session, product_id, lock=True)
            refuse_stale(_product_view(row, money).as_input(), expected)
            if row.addon_eligible and not clean.addon_eligible:
                await self._no_service_defaults(session, product_id)
            _write_product(row, clean, money)
            await session.flush()
            return _product_view(row, money)

    async def set_product_active(self, product_id: int, active: bool) -> ProductSetupView:
        """Sell a product again, or stop selling it (banked units stay usable). Needs
        "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._product(session, product_id, lock=True)
            row.active = active
            await session.flush()
            return _product_view(row, await store_money(session))

    @staticmethod
    async def _no_service_defaults(session: AsyncSession, product_id: int) -> None:
        used = await session.scalar(
            select(func.count()).where(ServiceAddonDefault.product_id == product_id)
        )
        if used:
            raise ValidationError(
                "addon_eligible",
                f"{used} service(s) use it as a default add-on: remove it there first",
            )

    @staticmethod
    async def _product(session: AsyncSession, product_id: int, *, lock: bool = False) -> Product:
        row = await session.get(Product, product_id, with_for_update=lock)
        if row is None:
            raise NotFound(f"product {product_id}")
        return row
