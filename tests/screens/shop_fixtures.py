"""A shop to sell from a walk-in ticket: the add-on clinic plus a package, a markup-named
product and a facial to sell prepaid; and the counts its tests check in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan, Package, PackageItem, Payment, Ticket
from frontdesk.services.context import ServiceContext
from tests.screens.picker_fixtures import MARKUP_FIRST, MARKUP_LAST, HostApp, build_clinic
from tests.services.factories import make_product, make_service

MARKUP_PRODUCT = "[b]Glow[/b] serum [@click=app.quit]x"
FACIAL_PRICE_MINOR = 8_000  # £80.00 a visit


@dataclass(frozen=True)
class Shop:
    staff_id: int  # Dr Kay, the injector: takes payments (the tickets act as her)
    client_id: int
    location_id: int
    botox_id: int
    package_id: int
    facial_id: int


async def build_shop(
    url: str,
    *,
    banking: bool = True,
    markup_client: bool = False,
    discount_percent: Decimal | None = None,
) -> Shop:
    """The add-on clinic (client owns 10 Botox units at £9.00) plus a 50-unit Botox package
    (£400.00), a product whose name is markup, and a £80.00 facial to sell prepaid."""
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        names = {"first_name": MARKUP_FIRST, "last_name": MARKUP_LAST} if markup_client else {}
        clinic = await build_clinic(ctx, banking=banking, **names)
        await make_product(ctx, name=MARKUP_PRODUCT, unit_price_minor=2_500, usage_tracking=False)
        facial = await make_service(ctx, name="Signature Facial", price_minor=FACIAL_PRICE_MINOR)
        async with ctx.transaction() as session:
            package = Package(name="50 Botox units", price_minor=40_000, active=True)
            session.add(package)
            await session.flush()
            session.add(PackageItem(package_id=package.id, product_id=clinic.botox_id, units=50))
            if discount_percent is not None:
                plan = MembershipPlan(
                    name="Glow Gold", price_minor=7_900, discount_percent=discount_percent
                )
                session.add(plan)
                await session.flush()
                session.add(
                    Membership(
                        client_id=clinic.client_id,
                        plan_id=plan.id,
                        status="active",
                        started_on=dt.date(2026, 1, 5),
                    )
                )
            package_id = package.id
        return Shop(
            clinic.staff_id,
            clinic.client_id,
            clinic.location_id,
            clinic.botox_id,
            package_id,
            facial.id,
        )
    finally:
        await ctx.dispose()


async def ticket_count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Ticket)) or 0)
    finally:
        await engine.dispose()


async def payment_methods(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.scalars(select(Payment.method).order_by(Payment.id))).all())
    finally:
        await engine.dispose()


async def banked(app: HostApp, client_id: int, product: str = "Botox") -> int:
    summary = await app.desk.clients.summary(client_id)
    return sum(b.units for b in summary.banked if b.product_name == product)
