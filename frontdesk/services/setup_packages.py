"""Packages and their contents as the store sets them up (issue 16, item 1).

A package is a price for units of one or more products (B2: selling it banks each
usage-tracked product's units). Every write needs "setup"; a package is deactivated,
never deleted (tickets point at it). Contents are replaced whole on each save: at least
one line, each product once, units above zero (docs/rules.md#catalogue-setup, G3).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Package, PackageItem, Product
from frontdesk.domain.catalogue_rules import PackageInput, check_package
from frontdesk.domain.errors import NotFound
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.setup_common import product_lines, refuse_stale, store_money
from frontdesk.services.staff import require
from frontdesk.views.catalogue import PackageSetupView, UnitsLineView


async def _contents(session: AsyncSession, ids: list[int]) -> dict[int, list[UnitsLineView]]:
    rows = await session.execute(
        select(PackageItem, Product)
        .join(Product, Product.id == PackageItem.product_id)
        .where(PackageItem.package_id.in_(ids))
        .order_by(Product.name, Product.id)
    )
    found: dict[int, list[UnitsLineView]] = {}
    for item, product in rows:
        found.setdefault(item.package_id, []).append(
            UnitsLineView(
                product_id=product.id,
                product_name=product.name,
                unit_name=product.unit_name,
                units=item.units,
            )
        )
    return found


def _view(row: Package, money: MoneyContext, contents: list[UnitsLineView]) -> PackageSetupView:
    return PackageSetupView(
        currency=money.currency,
        locale=money.locale,
        id=row.id,
        name=row.name,
        price=money.from_minor(row.price_minor),
        active=row.active,
        contents=tuple(contents),
    )


class PackageSetup(Area):
    async def packages(self, *, everyone: bool = False) -> tuple[PackageSetupView, ...]:
        async with self.ctx.read() as session:
            money = await store_money(session)
            stmt = select(Package).order_by(Package.name, Package.id)
            if not everyone:
                stmt = stmt.where(Package.active.is_(True))
            rows = list((await session.execute(stmt)).scalars())
            contents = await _contents(session, [r.id for r in rows])
            return tuple(_view(r, money, contents.get(r.id, [])) for r in rows)

    async def package(self, package_id: int) -> PackageSetupView:
        async with self.ctx.read() as session:
            return await self._view(session, await self._row(session, package_id))

    async def create(self, package: PackageInput) -> PackageSetupView:
        """A new package, offered at once. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_package(package, money)
            await product_lines(session, clean.contents, "contents")
            row = Package(name=clean.name, price_minor=money.to_minor(clean.price), active=True)
            session.add(row)
            await session.flush()
            await self._replace(session, row.id, clean)
            return await self._view(session, row)

    async def update(
        self, package_id: int, package: PackageInput, *, expected: PackageInput | None = None
    ) -> PackageSetupView:
        """Change a package and its contents; tickets already paid keep what they banked.
        Refused if it changed elsewhere since `expected` was read. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_package(package, money)
            await product_lines(session, clean.contents, "contents")
            row = await self._row(session, package_id, lock=True)
            refuse_stale((await self._view(session, row)).as_input(), expected)
            row.name = clean.name
            row.price_minor = money.to_minor(clean.price)
            await self._replace(session, row.id, clean)
            return await self._view(session, row)

    async def set_active(self, package_id: int, active: bool) -> PackageSetupView:
        """Sell a package again, or stop selling it. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._row(session, package_id, lock=True)
            row.active = active
            await session.flush()
            return await self._view(session, row)

    @staticmethod
    async def _replace(session: AsyncSession, package_id: int, package: PackageInput) -> None:
        await session.execute(delete(PackageItem).where(PackageItem.package_id == package_id))
        session.add_all(
            PackageItem(package_id=package_id, product_id=c.product_id, units=c.units)
            for c in package.contents
        )
        await session.flush()

    @staticmethod
    async def _view(session: AsyncSession, row: Package) -> PackageSetupView:
        contents = await _contents(session, [row.id])
        return _view(row, await store_money(session), contents.get(row.id, []))

    @staticmethod
    async def _row(session: AsyncSession, package_id: int, *, lock: bool = False) -> Package:
        row = await session.get(Package, package_id, with_for_update=lock)
        if row is None:
            raise NotFound(f"package {package_id}")
        return row
