"""Staff and roles set up at the desk (issue 16, item 1), on SQLite and PostgreSQL: adding
staff at a location, changing a role, deactivating and reactivating; managers manage
staff but only "setup" makes, changes or retires an owner; the last active owner stays."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from frontdesk.db.tables import Location, StaffPermission
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.domain.errors import PermissionDenied, StaleVersion, ValidationError
from frontdesk.domain.permissions import Perm
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import World, build_world


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def as_(ctx: ServiceContext, staff_id: int) -> Desk:
    return Desk(ctx.as_staff(staff_id))


async def staff_rows(ctx: ServiceContext) -> list[tuple[object, ...]]:
    async with ctx.read() as s:
        rows = await s.execute(select(StaffRow).order_by(StaffRow.id))
        return [(r.id, r.name, r.role, r.location_id, r.active, r.version) for (r,) in rows]


async def second_location(ctx: ServiceContext) -> int:
    async with ctx.transaction() as s:
        place = Location(name="Soho")
        s.add(place)
        await s.flush()
        return place.id


async def test_a_manager_adds_staff_at_a_location_and_lists_them(
    ctx: ServiceContext, world: World
) -> None:
    soho = await second_location(ctx)
    team = as_(ctx, world.manager).team
    added = await team.add(" Priya Shah ", "front_desk", "2468", location_id=soho)
    assert (added.name, added.role, added.location_name, added.has_pin) == (
        "Priya Shah",
        "front_desk",
        "Soho",
        True,
    )
    listed = {m.number: m for m in await Desk(ctx).team.roster()}
    assert listed[added.number] == added
    assert listed[world.owner].location_name == "Main"


async def test_a_location_that_is_not_there_is_refused_at_its_field(
    ctx: ServiceContext, world: World
) -> None:
    before = await staff_rows(ctx)
    with pytest.raises(ValidationError) as err:
        await as_(ctx, world.manager).team.add("Priya", "front_desk", location_id=999)
    assert err.value.field == "location"
    assert await staff_rows(ctx) == before


async def test_front_desk_staff_may_not_manage_staff(ctx: ServiceContext, world: World) -> None:
    before = await staff_rows(ctx)
    team = as_(ctx, world.desk).team
    for call in (
        team.add("Priya", "front_desk"),
        team.set_role(world.therapist, "front_desk"),
        team.set_active(world.therapist, False),
    ):
        with pytest.raises(PermissionDenied) as refused:
            await call
        assert refused.value.permission == "manage staff"
    assert await staff_rows(ctx) == before


async def test_a_manager_changes_roles_but_makes_no_owner(
    ctx: ServiceContext, world: World
) -> None:
    team = as_(ctx, world.manager).team
    changed = await team.set_role(world.therapist, "front_desk", expected_version=1)
    assert (changed.role, changed.version) == ("front_desk", 2)
    before = await staff_rows(ctx)
    for call in (
        team.set_role(world.desk, "owner"),  # making an owner
        team.set_role(world.owner, "manager"),  # unmaking one
        team.set_active(world.owner, False),  # retiring one
        team.set_pin(world.owner, "9999"),  # taking over their sign-in
        team.add("Nina", "owner"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            await call
        assert refused.value.permission == "setup"
    assert await staff_rows(ctx) == before


async def test_a_role_change_based_on_an_old_read_is_refused(
    ctx: ServiceContext, world: World
) -> None:
    team = as_(ctx, world.owner).team
    await team.set_role(world.therapist, "stylist", expected_version=1)
    with pytest.raises(StaleVersion):
        await team.set_role(world.therapist, "front_desk", expected_version=1)
    assert (await team.set_active(world.therapist, False, expected_version=2)).active is False


async def test_deactivated_staff_hold_nothing_and_come_back(
    ctx: ServiceContext, world: World
) -> None:
    team = as_(ctx, world.manager).team
    gone = await team.set_active(world.desk, False)
    assert not gone.active
    assert await as_(ctx, world.desk).staff.mine() == frozenset()
    assert world.desk not in {m.number for m in await team.roster()}
    back = await team.set_active(world.desk, True, expected_version=gone.version)
    assert back.active and await as_(ctx, world.desk).staff.mine()


async def test_the_last_owner_is_neither_demoted_nor_deactivated(
    ctx: ServiceContext, world: World
) -> None:
    team = as_(ctx, world.owner).team
    before = await staff_rows(ctx)
    with pytest.raises(ValidationError) as demoted:
        await team.set_role(world.owner, "manager")
    assert demoted.value.field == "role" and "last active owner" in str(demoted.value)
    with pytest.raises(ValidationError) as retired:
        await team.set_active(world.owner, False)
    assert retired.value.field == "active"
    assert await staff_rows(ctx) == before
    await team.set_role(world.manager, "owner")  # another owner: now either may go
    assert (await team.set_role(world.owner, "manager")).role == "manager"
    with pytest.raises(ValidationError):
        await as_(ctx, world.manager).team.set_active(world.manager, False)


async def test_two_terminals_retiring_the_two_owners_at_once_leave_one(
    ctx: ServiceContext, world: World
) -> None:
    await as_(ctx, world.owner).team.set_role(world.manager, "owner")
    a, b = as_(ctx, world.owner).team, as_(ctx, world.manager).team
    results = await asyncio.gather(
        a.set_active(world.owner, False),
        b.set_role(world.manager, "front_desk"),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    async with ctx.read() as s:
        owners = await s.scalars(
            select(StaffRow.id).where(StaffRow.role == "owner", StaffRow.active.is_(True))
        )
        assert len(owners.all()) == 1


async def test_grants_replace_a_persons_extra_permissions(
    ctx: ServiceContext, world: World
) -> None:
    async with ctx.transaction() as s:  # an old name still reads as what it means
        s.add(StaffPermission(staff_id=world.desk, permission="reverse_entries"))
    team = as_(ctx, world.owner).team
    (desk,) = [m for m in await team.roster() if m.number == world.desk]
    assert desk.grants == {Perm.REVERSE_ENTRIES}
    changed = await team.set_grants(
        world.desk, frozenset({Perm.REPORTS, Perm.MERGE_CLIENTS}), expected_version=desk.version
    )
    assert changed.grants == {Perm.REPORTS, Perm.MERGE_CLIENTS}
    mine = await as_(ctx, world.desk).staff.mine()
    assert {Perm.REPORTS, Perm.MERGE_CLIENTS} <= mine and Perm.REVERSE_ENTRIES not in mine
    with pytest.raises(StaleVersion):
        await team.set_grants(world.desk, frozenset(), expected_version=desk.version)
    with pytest.raises(PermissionDenied) as refused:  # a manager can't grant themselves setup
        await as_(ctx, world.manager).team.set_grants(world.manager, frozenset({Perm.SETUP}))
    assert refused.value.permission == "setup"
