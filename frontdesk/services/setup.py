"""First-run set-up: a brand-new database gets store settings and one location."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.db.tables import Location, StoreSettings
from frontdesk.services.context import ServiceContext


async def ensure_store(ctx: ServiceContext, business_name: str = "My Salon") -> bool:
    """Create the minimum a front desk needs; return True when something was created."""
    async with ctx.transaction() as session:
        created = False
        if await session.get(StoreSettings, 1) is None:
            session.add(
                StoreSettings(
                    id=1,
                    business_name=business_name,
                    currency="GBP",
                    locale="en_GB",
                    future_product_usage=True,
                    commission_system="single",
                )
            )
            created = True
        if not await session.scalar(select(func.count()).select_from(Location)):
            session.add(Location(name="Main"))
            created = True
        return created
