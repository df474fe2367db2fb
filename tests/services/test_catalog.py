"""Reference data the screens load: staff with their permissions, locations, services."""

from __future__ import annotations

import datetime as dt

from frontdesk.db.tables import StoreSettings
from frontdesk.services import catalog, schedule
from frontdesk.services.context import ServiceContext
from tests.services.factories import DEFAULT_START, make_appointment
from tests.services.world import build_world


async def test_staff_carry_their_permissions(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    staff = {s.id: s for s in await catalog.staff(ctx, w.location)}
    assert staff[w.manager].permissions == frozenset({"adjust_wallet_negative"})
    assert staff[w.desk].permissions == frozenset()
    assert [loc.name for loc in await catalog.locations(ctx)] == ["Main"]
    names = [s.name for s in await catalog.services(ctx)]
    assert names == sorted(names) and "Signature Facial" in names


async def test_opening_is_the_store_its_locations_and_today_at_the_first(
    ctx: ServiceContext,
) -> None:
    w = await build_world(ctx)
    day = DEFAULT_START.date()
    await make_appointment(
        ctx, client_id=w.client, service_id=w.facial, staff_id=w.therapist, location_id=w.location
    )
    await make_appointment(  # the next day: not on the opening screen
        ctx,
        client_id=w.other_client,
        service_id=w.facial,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=DEFAULT_START + dt.timedelta(days=1),
    )
    opening = await schedule.opening(ctx, day)
    assert opening.store.business_name == "Test Salon"
    assert [loc.name for loc in opening.locations] == ["Main"]
    assert opening.first_day is not None
    assert (opening.first_day.location.name, opening.first_day.day) == ("Main", day)
    assert [a.client_id for a in opening.first_day.appointments] == [w.client]


async def test_opening_without_a_location_has_no_first_day(ctx: ServiceContext) -> None:
    async with ctx.transaction() as s:
        s.add(StoreSettings(id=1, business_name="New Salon", currency="GBP", locale="en_GB"))
    opening = await schedule.opening(ctx, DEFAULT_START.date())
    assert (opening.store.business_name, opening.locations, opening.first_day) == (
        "New Salon",
        (),
        None,
    )
