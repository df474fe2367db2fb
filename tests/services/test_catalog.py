"""Reference data the screens load: staff with their permissions, locations, services."""

from __future__ import annotations

from frontdesk.db.tables import StaffPermission
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import build_world


async def test_staff_carry_their_permissions(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    async with ctx.transaction() as s:  # a grant by name, beside what the role holds
        s.add(StaffPermission(staff_id=w.desk, permission="reverse_entries"))
    staff = {s.id: s for s in await Desk(ctx).catalog.staff(w.location)}
    assert staff[w.desk].permissions == frozenset({"reverse_entries"})
    assert staff[w.manager].permissions == frozenset()
    assert [loc.name for loc in await Desk(ctx).catalog.locations()] == ["Main"]
    names = [s.name for s in await Desk(ctx).catalog.services()]
    assert names == sorted(names) and "Signature Facial" in names
