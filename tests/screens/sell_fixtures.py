"""The Sell modal's shop: the add-on clinic plus a package, a markup-named product and a
facial to sell prepaid; and the keyboard helpers its behaviour and snapshot tests share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan, Package, PackageItem, Payment, Ticket
from frontdesk.services.context import ServiceContext
from screens.sell import SellScreen
from tests.desks import NO_AREAS, Areas
from tests.screens.picker_fixtures import MARKUP_FIRST, MARKUP_LAST, HostApp, build_clinic
from tests.services.factories import make_product, make_service
from tests.waiting import wait_until

NOW = dt.datetime(2026, 11, 23, 9, 41)
MARKUP_PRODUCT = "[b]Glow[/b] serum [@click=app.quit]x"
FACIAL_PRICE_MINOR = 8_000  # £80.00 a visit


@dataclass(frozen=True)
class Shop:
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
        return Shop(clinic.client_id, clinic.location_id, clinic.botox_id, package_id, facial.id)
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


def sell_app(url: str, shop: Shop, areas: Areas = NO_AREAS) -> HostApp:
    return HostApp(
        url,
        lambda desk: SellScreen(desk, shop.client_id, shop.location_id, clock=lambda: NOW),
        areas=areas,
    )


def sell_screen(app: HostApp) -> SellScreen:
    screen = app.screen
    assert isinstance(screen, SellScreen), screen
    return screen


def sell_ready(app: App[Any]) -> bool:
    """Sell is on top with what can be sold listed."""
    screen = app.screen
    return (
        isinstance(screen, SellScreen)
        and screen.catalog is not None
        and not screen.query_one("#sell-items", OptionList).loading
    )


async def sell_opened(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: sell_ready(pilot.app), what="Sell, with its list")


async def choose(pilot: Pilot[Any], key: str) -> None:
    """Move the list's cursor with ↓ to the item `key` (e.g. "prepaid-3"), then Enter."""
    items = pilot.app.screen.query_one("#sell-items", OptionList)
    items.focus()
    await pilot.press("home")
    for _ in range(items.option_count):
        highlighted = items.highlighted
        assert highlighted is not None
        if items.get_option_at_index(highlighted).id == key:
            await pilot.press("enter")
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"{key} is not on the list")


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Focus a field, clear it with the keyboard and type `text`."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    await pilot.press("end", *["backspace"] * len(box.value), *text)
    await pilot.pause()


async def banked(app: HostApp, client_id: int, product: str = "Botox") -> int:
    summary = await app.desk.clients.summary(client_id)
    return sum(b.units for b in summary.banked if b.product_name == product)
