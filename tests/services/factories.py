"""Small helpers that put rows in a test database, for any service or screen test.

Each helper runs its own committed transaction through the `ServiceContext` (so other
engines and terminals see the rows) and returns the row; sessions use
``expire_on_commit=False``, so its column attributes stay readable. Defaults are
plausible salon data; pass keywords to change what a test cares about.
"""

from __future__ import annotations

import datetime as dt
import itertools

from frontdesk.db import ledger
from frontdesk.db.tables import (
    Appointment,
    Client,
    LedgerEntry,
    Location,
    Product,
    Service,
    ServiceAddonDefault,
    Staff,
    StoreSettings,
)
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.normalize import digits, fold
from frontdesk.services.context import ServiceContext
from tests.money import TEST_MONEY

_numbers = itertools.count(1)

# A fixed, unremarkable morning for appointments (naive: the location's wall clock).
DEFAULT_START = dt.datetime(2025, 11, 23, 10, 0)


# Tests of other rules move sums well over the two-person rule's default 100.00; its own
# tests (test_two_person_rule.py, test_sign_in_screen.py) run with the store's default.
OUT_OF_REACH = 10**15


async def make_store(
    ctx: ServiceContext,
    *,
    business_name: str = "Test Salon",
    currency: str = TEST_MONEY.currency,  # GBP/en_GB unless $FRONTDESK_TEST_MONEY says
    locale: str = TEST_MONEY.locale,
    future_product_usage: bool = True,
    commission_system: str = "single",
    approval_threshold_minor: int | None = OUT_OF_REACH,
) -> StoreSettings:
    """The one store settings row (id 1), created or overwritten. The two-person rule's
    threshold is out of reach unless a test asks for one (None: the store's default)."""
    async with ctx.transaction() as session:
        row = await session.get(StoreSettings, 1)
        if row is None:
            row = StoreSettings(id=1)
            session.add(row)
        row.business_name = business_name
        row.currency = currency
        row.locale = locale
        row.future_product_usage = future_product_usage
        row.commission_system = commission_system
        if approval_threshold_minor is not None:
            row.approval_threshold_minor = approval_threshold_minor
        await session.flush()
        return row


async def make_location(ctx: ServiceContext, *, name: str | None = None) -> Location:
    async with ctx.transaction() as session:
        row = Location(name=name or f"Location {next(_numbers)}")
        session.add(row)
        await session.flush()
        return row


async def make_staff(
    ctx: ServiceContext,
    *,
    name: str = "Sam Stylist",
    role: str = "stylist",
    location_id: int | None = None,
    active: bool = True,
) -> Staff:
    async with ctx.transaction() as session:
        row = Staff(name=name, role=role, location_id=location_id, active=active)
        session.add(row)
        await session.flush()
        return row


async def make_client(
    ctx: ServiceContext,
    *,
    first_name: str = "Ann",
    last_name: str = "Lee",
    phone: str = "",
    email: str = "",
    client_number: str | None = None,
) -> Client:
    async with ctx.transaction() as session:
        row = Client(
            client_number=client_number or f"T{next(_numbers):06d}",
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            search_first=fold(first_name),
            search_last=fold(last_name),
            phone_digits=digits(phone),
            email_lower=email.lower(),
        )
        session.add(row)
        await session.flush()
        return row


async def make_service(
    ctx: ServiceContext,
    *,
    name: str = "Botox — Anti-wrinkle",
    duration_minutes: int = 30,
    price_minor: int = 20_000,
    active: bool = True,
    addon_defaults: dict[int, int] | None = None,
) -> Service:
    """A service; ``addon_defaults`` maps product id to the units it normally needs."""
    async with ctx.transaction() as session:
        row = Service(
            name=name, duration_minutes=duration_minutes, price_minor=price_minor, active=active
        )
        session.add(row)
        await session.flush()
        for product_id, units in (addon_defaults or {}).items():
            session.add(
                ServiceAddonDefault(service_id=row.id, product_id=product_id, default_units=units)
            )
        await session.flush()
        return row


async def make_product(
    ctx: ServiceContext,
    *,
    name: str = "Botox",
    unit_name: str = "unit",
    unit_price_minor: int = 1_000,
    usage_tracking: bool = True,
    addon_eligible: bool = True,
    active: bool = True,
) -> Product:
    async with ctx.transaction() as session:
        row = Product(
            name=name,
            unit_name=unit_name,
            unit_price_minor=unit_price_minor,
            usage_tracking=usage_tracking,
            addon_eligible=addon_eligible,
            active=active,
        )
        session.add(row)
        await session.flush()
        return row


async def make_appointment(
    ctx: ServiceContext,
    *,
    client_id: int,
    service_id: int,
    staff_id: int,
    location_id: int,
    starts_at: dt.datetime = DEFAULT_START,
    status: str = "booked",
) -> Appointment:
    """An appointment written directly (no double-booking check): ends after the service."""
    async with ctx.transaction() as session:
        service = await session.get(Service, service_id)
        assert service is not None, f"no service {service_id}"
        row = Appointment(
            client_id=client_id,
            service_id=service_id,
            staff_id=staff_id,
            location_id=location_id,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=service.duration_minutes),
            status=status,
        )
        session.add(row)
        await session.flush()
        return row


async def bank_units(
    ctx: ServiceContext,
    *,
    client_id: int,
    product_id: int,
    units: int,
    reason: Reason = Reason.BANK,
    description: str = "Banked in test set-up",
) -> LedgerEntry:
    """Put ``units`` of a product in the client's bank through the ledger (the only way)."""
    async with ctx.transaction() as session:
        product = await session.get(Product, product_id)
        assert product is not None, f"no product {product_id}"
        account = await ledger.get_or_create_account(
            session,
            client_id,
            StoredValueKind.PRODUCT_UNITS,
            product_id=product_id,
            unit_value_minor=product.unit_price_minor,
        )
        return await ledger.post(
            session,
            account.id,
            units,
            reason=reason.value,
            description=description,
            actor=ctx.actor,
        )
