"""A small salon in a test database: what the stored-value and checkout tests stand on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select

from frontdesk.db.tables import (
    Client,
    LedgerEntry,
    Location,
    MembershipPlan,
    Package,
    PackageItem,
    Product,
    Service,
    Staff,
    StoredValueAccount,
    StoreSettings,
)
from frontdesk.domain.normalize import digits, fold, phone_tail
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from tests.money import TEST_MONEY
from tests.services.factories import OUT_OF_REACH


@dataclass(frozen=True)
class World:
    location: int
    # Roles (docs/rules.md, X2): what each may do is in ROLE_PERMISSIONS.
    desk: int  # front desk: adjusts balances, takes payments
    manager: int  # everything but setup (deducts below zero, reverses, refunds, reports)
    therapist: int  # a practitioner: takes payments, edits the transformation log
    owner: int  # everything
    client: int
    other_client: int
    facial: int  # £90 service
    massage: int  # £80 service, sold prepaid
    botox_service: int
    botox: int  # tracked product, £9/unit
    cream: int  # untracked add-on, £12
    serum: int  # retail, £45
    package: int  # 50 Botox units, £400
    plan_auto: int  # 15% off, £50 auto credit, £79
    plan_select: int  # 10% off, select: £40 cash alternative, £99


async def build_world(
    ctx: ServiceContext,
    *,
    future_product_usage: bool = True,
    commission: str = "single",
    approval_threshold_minor: int = OUT_OF_REACH,
) -> World:
    async with ctx.transaction() as s:
        s.add(
            StoreSettings(
                id=1,
                business_name="Test Salon",
                currency=TEST_MONEY.currency,  # GBP/en_GB unless $FRONTDESK_TEST_MONEY says
                locale=TEST_MONEY.locale,
                future_product_usage=future_product_usage,
                commission_system=commission,
                approval_threshold_minor=approval_threshold_minor,
            )
        )

        async def add(table: type, **values: object) -> int:
            result = await s.execute(insert(table).values(**values).returning(table.id))  # type: ignore[attr-defined]
            return int(result.scalar_one())

        loc = await add(Location, name="Main", address="")
        desk = await add(Staff, name="Dee Desk", role="front_desk", location_id=loc)
        manager = await add(Staff, name="Max Manager", role="manager", location_id=loc)
        therapist = await add(Staff, name="Tia Therapist", role="therapist", location_id=loc)
        owner = await add(Staff, name="Olu Owner", role="owner", location_id=loc)

        async def client(first: str, last: str, n: int) -> int:
            phone = f"07700 90{n:04d}"
            return await add(
                Client,
                client_number=f"C{n:06d}",
                first_name=first,
                last_name=last,
                phone=phone,
                email=f"{first.lower()}@example.com",
                search_first=fold(first),
                search_last=fold(last),
                phone_digits=digits(phone),
                phone_tail=phone_tail(digits(phone)),  # Core insert: no mapper events
                email_lower=f"{first.lower()}@example.com",
                home_location_id=loc,
                notes="",
            )

        c1 = await client("Amelia", "Hart", 1)
        c2 = await client("Zoë", "Ångström", 2)

        async def service(name: str, price: int, **kw: object) -> int:
            return await add(
                Service,
                name=name,
                category="",
                duration_minutes=60,
                price_minor=price,
                commission_percent=Decimal("10"),
                commission_sale_minor=kw.get("sale", 500),
                commission_redeem_minor=kw.get("redeem", 700),
                prepaid_allowed=True,
                active=True,
            )

        facial = await service("Signature Facial", 9000)
        massage = await service("Deep Tissue Massage", 8000)
        botox_service = await service("Botox", 25000)

        async def product(name: str, price: int, tracked: bool, addon: bool) -> int:
            return await add(
                Product,
                name=name,
                unit_name="unit",
                unit_price_minor=price,
                usage_tracking=tracked,
                addon_eligible=addon,
                active=True,
            )

        botox = await product("Botox", 900, True, True)
        cream = await product("Numbing Cream", 1200, False, True)
        serum = await product("Retinol Serum", 4500, False, False)
        package = await add(Package, name="Botox Bank — 50 units", price_minor=40000, active=True)
        s.add(PackageItem(package_id=package, product_id=botox, units=50))
        plan_auto = await add(
            MembershipPlan,
            name="Glow Auto",
            price_minor=7900,
            discount_percent=Decimal("15"),
            beauty_bank=True,
            mode="auto",
            credit_minor=5000,
            cash_alternative_minor=0,
        )
        plan_select = await add(
            MembershipPlan,
            name="Glow Select",
            price_minor=9900,
            discount_percent=Decimal("10"),
            beauty_bank=True,
            mode="select",
            credit_minor=0,
            cash_alternative_minor=4000,
            included_service_id=facial,
        )
    return World(
        location=loc,
        desk=desk,
        manager=manager,
        therapist=therapist,
        owner=owner,
        client=c1,
        other_client=c2,
        facial=facial,
        massage=massage,
        botox_service=botox_service,
        botox=botox,
        cream=cream,
        serum=serum,
        package=package,
        plan_auto=plan_auto,
        plan_select=plan_select,
    )


async def ledger_rows(ctx: ServiceContext) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(LedgerEntry)) or 0)


async def assert_ledger_consistent(ctx: ServiceContext) -> None:
    """Cached balance = Σ entries, balance_after is the running sum in id order, and the
    hash chain is whole."""
    async with ctx.read() as s:
        accounts = (await s.execute(select(StoredValueAccount))).scalars().all()
        entries = (
            (await s.execute(select(LedgerEntry).order_by(LedgerEntry.account_id, LedgerEntry.id)))
            .scalars()
            .all()
        )
    running: dict[int, int] = {}
    for e in entries:
        running[e.account_id] = running.get(e.account_id, 0) + e.amount
        assert e.balance_after == running[e.account_id], (e.id, e.balance_after)
    for a in accounts:
        assert a.balance == running.get(a.id, 0), (a.id, a.kind, a.balance)
        if a.kind in ("product_units", "prepaid_visits"):
            assert a.balance >= 0
    audit = await verify_ledger(ctx)
    assert audit.whole and audit.entries == len(entries), audit


def day(offset: int = 0) -> dt.date:
    return dt.date(2026, 11, 23) + dt.timedelta(days=offset)
