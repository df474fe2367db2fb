"""Reference data the screens need: store settings, locations, staff, services."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Location, Service, Staff, StaffPermission, StoreSettings
from frontdesk.domain.errors import NotFound
from frontdesk.domain.money import from_minor
from frontdesk.services.area import Area
from frontdesk.views import LocationView, ServiceView, StaffView, StoreView


async def load_store(session: AsyncSession) -> StoreView:
    row = await session.get(StoreSettings, 1)
    if row is None:
        raise NotFound("store settings (run `frontdesk db upgrade` and seed the store)")
    return StoreView(
        business_name=row.business_name,
        currency=row.currency,
        locale=row.locale,
        future_product_usage=row.future_product_usage,
        commission_system=row.commission_system,
        approval_threshold=from_minor(row.approval_threshold_minor, row.currency),
        idle_lock_seconds=row.idle_lock_seconds,
    )


def money(minor: int, currency: str) -> Decimal:
    return from_minor(minor, currency)


class Catalog(Area):
    """The store's settings, its locations, staff and services."""

    async def store(self) -> StoreView:
        async with self.ctx.read() as session:
            return await load_store(session)

    async def locations(self) -> tuple[LocationView, ...]:
        async with self.ctx.read() as session:
            rows = (await session.execute(select(Location).order_by(Location.id))).scalars()
            return tuple(LocationView(id=r.id, name=r.name) for r in rows)

    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        async with self.ctx.read() as session:
            stmt = select(Staff).where(Staff.active.is_(True)).order_by(Staff.name)
            if location_id is not None:
                stmt = stmt.where((Staff.location_id == location_id) | Staff.location_id.is_(None))
            members = list((await session.execute(stmt)).scalars())
            perms = (await session.execute(select(StaffPermission))).scalars().all()
            by_staff: dict[int, set[str]] = {}
            for p in perms:
                by_staff.setdefault(p.staff_id, set()).add(p.permission)
            return tuple(
                StaffView(
                    id=m.id,
                    name=m.name,
                    role=m.role,
                    location_id=m.location_id,
                    permissions=frozenset(by_staff.get(m.id, set())),
                )
                for m in members
            )

    async def services(self) -> tuple[ServiceView, ...]:
        async with self.ctx.read() as session:
            cur = (await load_store(session)).currency
            rows = (
                await session.execute(
                    select(Service).where(Service.active.is_(True)).order_by(Service.name)
                )
            ).scalars()
            return tuple(
                ServiceView(
                    id=r.id,
                    name=r.name,
                    category=r.category,
                    duration_minutes=r.duration_minutes,
                    price=from_minor(r.price_minor, cur),
                )
                for r in rows
            )
