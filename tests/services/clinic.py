"""A small Botox clinic: one injector, one client with banked units, one appointment.

The add-on service tests and the add-on picker, appointment, booking and sell screens
stand on it (`tests/screens/picker_fixtures.py` adds a product that is bought, never
banked). Rows go in through `tests/services/factories.py`, banked units the ledger's way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdesk.services.context import ServiceContext
from tests.services.factories import (
    bank_units,
    make_appointment,
    make_client,
    make_location,
    make_product,
    make_service,
    make_staff,
    make_store,
)

START = dt.datetime(2026, 11, 23, 10, 0)
BOTOX_PRICE_MINOR = 900  # £9.00 a unit
SERVICE_PRICE_MINOR = 25_000  # £250.00


@dataclass(frozen=True)
class Clinic:
    location_id: int
    staff_id: int
    client_id: int
    service_id: int
    botox_id: int
    appointment_id: int


async def build_clinic(
    ctx: ServiceContext,
    *,
    banking: bool = True,
    owned: int = 10,
    default_units: int = 15,
    first_name: str = "Ann",
    last_name: str = "Lee",
    botox_price_minor: int = BOTOX_PRICE_MINOR,
    starts_at: dt.datetime = START,
) -> Clinic:
    """One injector, one client owning `owned` Botox units, a Botox appointment at
    `starts_at` whose service needs `default_units` units."""
    await make_store(ctx, business_name="Glow Clinic", future_product_usage=banking)
    location = await make_location(ctx, name="Marylebone")
    staff = await make_staff(ctx, name="Dr Kay", role="injector", location_id=location.id)
    client = await make_client(ctx, first_name=first_name, last_name=last_name)
    botox = await make_product(ctx, name="Botox", unit_price_minor=botox_price_minor)
    defaults = {botox.id: default_units} if default_units else {}
    service = await make_service(
        ctx,
        name="Botox — Anti-wrinkle",
        price_minor=SERVICE_PRICE_MINOR,
        addon_defaults=defaults,
    )
    appointment = await make_appointment(
        ctx,
        client_id=client.id,
        service_id=service.id,
        staff_id=staff.id,
        location_id=location.id,
        starts_at=starts_at,
    )
    if owned:
        # Banked by the injector: every entry names someone (issue 13).
        as_staff = ctx.as_staff(staff.id)
        await bank_units(as_staff, client_id=client.id, product_id=botox.id, units=owned)
    return Clinic(location.id, staff.id, client.id, service.id, botox.id, appointment.id)
