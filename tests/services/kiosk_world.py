"""A salon with a kiosk at "Main": PINs for the world's staff (desk 2222, manager 3333,
owner 4444), today's appointments and a Select choice waiting for Amelia. The kiosk
screen tests stand on it too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.kiosk import Kiosk
from frontdesk.services.payment_gateway import FakeGateway
from tests.services.factories import make_appointment, make_location
from tests.services.renewals_helpers import member
from tests.services.world import World, build_world, day

TODAY = day(1)  # the renewal ran on day 0: Amelia's choice is open today
TERMINAL = "kiosk lobby"
PINS = {"desk": "2222", "manager": "3333", "owner": "4444"}
AMELIA_PHONE = "07700 900001"  # build_world's phone for client 1
ZOE_PHONE = "07700 900002"


@dataclass(frozen=True)
class KioskWorld:
    world: World
    other_location: int
    amelia_at: dt.datetime


async def build_kiosk_world(ctx: ServiceContext) -> KioskWorld:
    w = await build_world(ctx)
    operator = Desk(ServiceContext.create(ctx.engine, terminal="cli", operator=True))
    for role, pin in PINS.items():
        await operator.team.set_pin(getattr(w, role), pin)
    await member(ctx, w.client, w.plan_select)
    await Desk(ctx.as_staff(w.manager)).renewals.run(day(0), FakeGateway())
    amelia_at = dt.datetime.combine(TODAY, dt.time(10, 30))
    await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.facial,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=amelia_at,
    )
    other = await make_location(ctx, name="Harbour")
    # Zoë is booked today, but at the other location: the kiosk at Main never finds her.
    await make_appointment(
        ctx,
        client_id=w.other_client,
        service_id=w.massage,
        staff_id=w.therapist,
        location_id=other.id,
        starts_at=amelia_at,
    )
    return KioskWorld(w, other.id, amelia_at)


async def kiosk_at(url: str, location: str = "main", **kw: object) -> Kiosk:
    return await Kiosk.at(url, terminal=TERMINAL, location=location, today=lambda: TODAY, **kw)  # type: ignore[arg-type]


async def opened_kiosk(url: str, kw: KioskWorld) -> Kiosk:
    kiosk = await kiosk_at(url)
    return await kiosk.open(str(kw.world.manager), PINS["manager"])
