"""First-run set-up: a brand-new database gets store settings and one location."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.db.tables import Location, StoreSettings
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.context import ServiceContext

NEEDS_MONEY = (
    "A new store needs its currency and locale, e.g. "
    "`frontdesk --currency GBP --locale en_GB` (or JPY ja_JP, EUR de_DE, ...)"
)


async def ensure_store(
    ctx: ServiceContext, money: MoneyContext | None, business_name: str = "My Salon"
) -> bool:
    """Create the minimum a front desk needs; return True when something was created.

    A new store's currency and locale are the operator's to say (`money`), never assumed:
    with none given, a database without a store is refused with how to give them."""
    async with ctx.transaction() as session:
        created = False
        if await session.get(StoreSettings, 1) is None:
            if money is None:
                raise ValidationError("currency", NEEDS_MONEY)
            session.add(
                StoreSettings(
                    id=1,
                    business_name=business_name,
                    currency=money.currency,
                    locale=money.locale,
                    future_product_usage=True,
                    commission_system="single",
                )
            )
            created = True
        if not await session.scalar(select(func.count()).select_from(Location)):
            session.add(Location(name="Main"))
            created = True
        return created
