"""What the demo salon sells and who works there: store settings, locations, staff,
services, products, the Botox package, membership plans, promotion codes and reward
prizes.

`seed_catalogue` writes it all into an empty (migrated) database and returns the rows the
rest of the seed refers to; no random choice is made here. Staff hold only their roles'
permissions and sign in with the PINs in `names.STAFF`. Promotion dates count from
the seed's `today`, so the same `today` gives the same codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Location,
    MembershipPlan,
    Package,
    PackageItem,
    Prize,
    Product,
    PromotionCode,
    Service,
    ServiceAddonDefault,
    Staff,
    StoreSettings,
)
from frontdesk.demo import names
from frontdesk.demo.money import DemoMoney
from frontdesk.demo.staff_pins import DemoPins
from frontdesk.demo.timeline import CLOSE, OPEN


@dataclass(frozen=True, slots=True)
class ServiceDef:
    key: str
    name: str
    category: str
    minutes: int
    price_minor: int
    commission_percent: Decimal
    commission_sale_minor: int
    commission_redeem_minor: int
    prepaid_allowed: bool


@dataclass(frozen=True, slots=True)
class ProductDef:
    key: str
    name: str
    unit_name: str
    unit_price_minor: int
    usage_tracking: bool
    addon_eligible: bool


# Products whose add-on line buys fewer than the default 999: filler goes by the syringe,
# and no visit takes more than a few.
LINE_LIMITS: dict[str, int] = {"filler": 10}

SERVICES: tuple[ServiceDef, ...] = (
    ServiceDef(
        "botox",
        "Botox — Anti-wrinkle (3 areas)",
        "Injectables",
        45,
        25_000,
        Decimal("15"),
        2_500,
        2_000,
        False,
    ),
    ServiceDef(
        "filler", "Lip Filler", "Injectables", 60, 30_000, Decimal("15"), 3_000, 2_500, False
    ),
    ServiceDef("hydra", "HydraFacial", "Facials", 60, 12_000, Decimal("12"), 1_200, 1_000, True),
    ServiceDef("facial", "Signature Facial", "Facials", 45, 9_000, Decimal("12"), 900, 800, True),
    ServiceDef(
        "deep", "Deep Tissue Massage", "Massage", 60, 8_000, Decimal("20"), 1_000, 800, True
    ),
    ServiceDef("swedish", "Swedish Massage", "Massage", 60, 7_000, Decimal("20"), 900, 700, True),
    ServiceDef("brows", "Brow Shape & Tint", "Brows", 30, 3_500, Decimal("10"), 350, 300, True),
)

PRODUCTS: tuple[ProductDef, ...] = (
    ProductDef("botox", "Botox", "unit", 900, True, True),
    ProductDef("filler", "Dermal Filler", "syringe", 28_000, True, True),
    ProductDef("numbing", "Numbing Cream", "tube", 1_200, False, True),
    ProductDef("retinol", "Retinol Serum", "bottle", 4_500, False, False),
    ProductDef("spf", "SPF 50", "bottle", 2_800, False, False),
)

# service key -> (product key, units the service normally needs)
ADDON_DEFAULTS: dict[str, tuple[str, int]] = {"botox": ("botox", 20), "filler": ("filler", 1)}

BOTOX_PACKAGE = ("Botox Bank — 50 units", 40_000, "botox", 50)

# (name, points cost); the first is the one demo clients redeem.
PRIZES: tuple[tuple[str, int], ...] = (
    ("SPF 50 mini", 50),
    ("LED mask add-on", 100),
    ("Brow Shape & Tint", 250),
    ("Signature Facial", 500),
)


@dataclass(frozen=True, slots=True)
class PromotionDef:
    """A demo code; its dates are days from the seed's today (None: no end)."""

    code: str
    description: str
    percent: Decimal | None
    fixed: int | None  # in pence, converted like every demo amount (`DemoMoney`)
    starts: int
    ends: int | None
    once_per_client: bool


# One of each kind the till must handle: once per client, a fixed amount inside its
# window, one that has ended and one that has not started.
PROMOTIONS: tuple[PromotionDef, ...] = (
    PromotionDef("WELCOME10", "Welcome 10% off", Decimal("10"), None, -365, None, True),
    PromotionDef("SPRING5", "Spring offer: {fixed} off", None, 500, -14, 30, False),
    PromotionDef("AUTUMN20", "Autumn 20% off (ended)", Decimal("20"), None, -120, -30, False),
    PromotionDef("SUMMER15", "Summer 15% off (not yet)", Decimal("15"), None, 60, 150, False),
)


@dataclass(slots=True)
class Catalogue:
    """The rows the rest of the seed refers to, by demo key."""

    money: DemoMoney
    location_ids: list[int] = field(default_factory=list)
    staff: list[tuple[int, str, int]] = field(default_factory=list)  # id, role, location id
    actor_id: int | None = None  # the front desk's entries (names.SEED_ACTOR_NAME)
    manager_id: int | None = None  # reversals, renewals, approvals (SEED_MANAGER_NAME)
    approval_threshold_minor: int = 0
    services: dict[str, Service] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    plans: dict[str, MembershipPlan] = field(default_factory=dict)


async def seed_catalogue(
    session: AsyncSession, today: dt.date, pins: DemoPins, money: DemoMoney
) -> Catalogue:
    catalogue = Catalogue(money)
    settings = await _store_settings(session, money)
    await _locations(session, catalogue)
    catalogue.approval_threshold_minor = settings.approval_threshold_minor
    await _staff(session, catalogue, pins)
    _services_and_products(session, catalogue)
    await session.flush()
    await _addon_defaults_and_package(session, catalogue)
    await _membership_plans(session, catalogue)
    _promotions(session, money, today)
    return catalogue


async def _store_settings(session: AsyncSession, money: DemoMoney) -> StoreSettings:
    """The demo store's settings."""
    settings = await session.get(StoreSettings, 1)
    if settings is None:
        settings = StoreSettings(id=1)
        session.add(settings)
    settings.business_name = names.BUSINESS_NAME
    settings.currency = money.money.currency
    settings.locale = money.money.locale
    # The two-person rule's threshold (the column's 100.00) at the same rough rate.
    settings.approval_threshold_minor = money.minor(10_000)
    settings.future_product_usage = True
    settings.commission_system = "single"
    return settings


async def _locations(session: AsyncSession, catalogue: Catalogue) -> None:
    existing = list((await session.execute(select(Location).order_by(Location.id))).scalars())
    by_name = {loc.name: loc for loc in existing}
    for i, (name, address) in enumerate(names.LOCATIONS):
        loc = by_name.get(name)
        if loc is None and i == 0 and len(existing) == 1 and existing[0].name == "Main":
            # First-run set-up made a placeholder location; the demo adopts it.
            loc = existing[0]
            loc.name = name
        if loc is None:
            loc = Location(name=name)
            session.add(loc)
        loc.address = address
        loc.opens_at = OPEN
        loc.closes_at = CLOSE
        await session.flush()
        catalogue.location_ids.append(loc.id)


async def _staff(session: AsyncSession, catalogue: Catalogue, pins: DemoPins) -> None:
    # One insert for all staff, PINs and all (a first --demo waits on this): ids come
    # back in order.
    members = [
        Staff(
            name=staff_name,
            role=role,
            location_id=catalogue.location_ids[loc_index],
            pin_hash=pin_hash,
        )
        for (staff_name, role, loc_index, _), pin_hash in zip(
            names.STAFF, await pins.hashes(), strict=True
        )
    ]
    session.add_all(members)
    await session.flush()
    for member in members:
        catalogue.staff.append((member.id, member.role, member.location_id or 0))
        if member.name == names.SEED_ACTOR_NAME:
            catalogue.actor_id = member.id
        if member.name == names.SEED_MANAGER_NAME:
            catalogue.manager_id = member.id


def _services_and_products(session: AsyncSession, catalogue: Catalogue) -> None:
    for s in SERVICES:
        service = Service(
            name=s.name,
            category=s.category,
            duration_minutes=s.minutes,
            price_minor=catalogue.money.minor(s.price_minor),
            commission_percent=s.commission_percent,
            commission_sale_minor=catalogue.money.minor(s.commission_sale_minor),
            commission_redeem_minor=catalogue.money.minor(s.commission_redeem_minor),
            prepaid_allowed=s.prepaid_allowed,
        )
        session.add(service)
        catalogue.services[s.key] = service
    for p in PRODUCTS:
        product = Product(
            name=p.name,
            unit_name=p.unit_name,
            unit_price_minor=catalogue.money.minor(p.unit_price_minor),
            usage_tracking=p.usage_tracking,
            addon_eligible=p.addon_eligible,
            max_units_per_line=LINE_LIMITS.get(p.key, 999),
        )
        session.add(product)
        catalogue.products[p.key] = product


async def _addon_defaults_and_package(session: AsyncSession, catalogue: Catalogue) -> None:
    for service_key, (product_key, units) in ADDON_DEFAULTS.items():
        session.add(
            ServiceAddonDefault(
                service_id=catalogue.services[service_key].id,
                product_id=catalogue.products[product_key].id,
                default_units=units,
            )
        )
    package_name, package_price, package_product, package_units = BOTOX_PACKAGE
    package = Package(name=package_name, price_minor=catalogue.money.minor(package_price))
    session.add(package)
    await session.flush()
    session.add(
        PackageItem(
            package_id=package.id,
            product_id=catalogue.products[package_product].id,
            units=package_units,
        )
    )


async def _membership_plans(session: AsyncSession, catalogue: Catalogue) -> None:
    catalogue.plans = {
        "auto": MembershipPlan(
            name="Glow Auto",
            price_minor=catalogue.money.minor(7_900),
            discount_percent=Decimal("10"),
            beauty_bank=True,
            mode="auto",
            credit_minor=catalogue.money.minor(5_000),
        ),
        "select": MembershipPlan(
            name="Glow Select",
            price_minor=catalogue.money.minor(9_900),
            discount_percent=Decimal("15"),
            beauty_bank=True,
            mode="select",
            cash_alternative_minor=catalogue.money.minor(4_000),
            included_service_id=catalogue.services["facial"].id,
        ),
        "essentials": MembershipPlan(
            name="Essentials",
            price_minor=catalogue.money.minor(4_900),
            discount_percent=Decimal("5"),
            beauty_bank=False,
            mode="auto",
        ),
    }
    session.add_all(catalogue.plans.values())
    await session.flush()


def _promotions(session: AsyncSession, money: DemoMoney, today: dt.date) -> None:
    def day(offset: int | None) -> dt.date | None:
        return None if offset is None else today + dt.timedelta(days=offset)

    for p in PROMOTIONS:
        session.add(
            PromotionCode(
                code=p.code,
                description=p.description.format(
                    fixed="" if p.fixed is None else money.money.format(money.amount(p.fixed))
                ),
                percent=p.percent,
                fixed_minor=None if p.fixed is None else money.minor(p.fixed),
                valid_from=today + dt.timedelta(days=p.starts),
                valid_to=day(p.ends),
                once_per_client=p.once_per_client,
                active=True,
            )
        )


async def add_prizes(session: AsyncSession) -> list[int]:
    """The reward prizes, in `PRIZES` order; their ids."""
    prize_ids: list[int] = []
    for name, cost in PRIZES:
        prize = Prize(name=name, points_cost=cost, active=True)
        session.add(prize)
        await session.flush()
        prize_ids.append(prize.id)
    return prize_ids
