"""Membership plans set up at the desk (issue 16, item 1), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import MembershipPlan
from frontdesk.domain.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from frontdesk.domain.plans import BillingCycle, PlanInput, PlanMode
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.money import amount
from tests.services.world import World, build_world


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def owner(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.owner))


def quarterly(w: World) -> PlanInput:
    return PlanInput(
        name=" Quarterly Glow ",
        price=amount("210.00"),
        billing_cycle=BillingCycle.QUARTERLY,
        discount_percent=Decimal("12.50"),
        beauty_bank=True,
        mode=PlanMode.SELECT,
        cash_alternative=amount("60.00"),
        included_service_id=w.facial,
    )


async def plan_rows(ctx: ServiceContext) -> list[tuple[object, ...]]:
    async with ctx.read() as s:
        rows = await s.execute(select(MembershipPlan).order_by(MembershipPlan.id))
        return [
            (p.name, p.price_minor, p.credit_minor, p.cash_alternative_minor, p.version)
            for (p,) in rows
        ]


async def test_create_stores_what_was_typed_and_who(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    made = await desk.plans.create(quarterly(world))
    assert made.name == "Quarterly Glow"
    assert (made.price, made.cash_alternative) == (amount("210.00"), amount("60.00"))
    assert made.billing_cycle is BillingCycle.QUARTERLY and made.mode is PlanMode.SELECT
    assert made.included_service_name == "Signature Facial" and made.active
    assert await desk.plans.get(made.id) == made
    assert made in await desk.plans.list()
    async with ctx.read() as s:
        row = await s.get(MembershipPlan, made.id)
        assert row is not None
        assert (row.changed_by, row.changed_terminal) == (world.owner, ctx.actor.terminal)


async def test_the_credit_is_never_derived_from_the_fee(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    plan = PlanInput(name="Tiny", price=amount("120.00"), beauty_bank=True, credit=amount("10"))
    made = await desk.plans.create(plan)  # under a third of the fee: warned, saved
    assert made.credit == amount("10.00")
    changed = await desk.plans.update(
        made.id, replace(plan, price=amount("150.00")), expected_version=made.version
    )
    assert (changed.price, changed.credit) == (amount("150.00"), amount("10.00"))
    assert changed.version == made.version + 1


async def test_update_refuses_a_stale_version(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    plan = await desk.plans.get(world.plan_auto)
    await desk.plans.update(plan.id, replace(plan.as_input(), name="Glow+"))
    before = await plan_rows(ctx)
    with pytest.raises(StaleVersion):
        await desk.plans.update(
            plan.id, replace(plan.as_input(), name="Other"), expected_version=plan.version
        )
    assert await plan_rows(ctx) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"price": amount("0")}, "price"),
        ({"discount_percent": Decimal("101")}, "discount_percent"),
        ({"cash_alternative": amount("0")}, "cash_alternative"),
        ({"included_service_id": None}, "included_service"),
        ({"included_service_id": 99_999}, "included_service"),
        ({"mode": PlanMode.AUTO}, "credit"),
    ],
)
async def test_a_refused_plan_writes_nothing(
    ctx: ServiceContext, world: World, change: dict[str, object], field: str
) -> None:
    desk = owner(ctx, world)
    before = await plan_rows(ctx)
    bad = replace(quarterly(world), **change)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        await desk.plans.create(bad)
    assert err.value.field == field
    with pytest.raises(ValidationError):
        await desk.plans.update(world.plan_auto, bad)
    assert await plan_rows(ctx) == before


async def test_deactivate_hides_it_from_the_list_and_back(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    off = await desk.plans.set_active(world.plan_auto, False)
    assert not off.active
    assert world.plan_auto not in {p.id for p in await desk.plans.list()}
    assert world.plan_auto in {p.id for p in await desk.plans.list(everyone=True)}
    assert (await desk.plans.set_active(world.plan_auto, True)).active
    with pytest.raises(NotFound):
        await desk.plans.set_active(99_999, True)


async def test_only_setup_may_change_plans_but_the_desk_reads_them(
    ctx: ServiceContext, world: World
) -> None:
    for who in (world.desk, world.manager, None):
        desk = Desk(ctx.as_staff(who))
        assert {p.id for p in await desk.plans.list()} >= {world.plan_auto, world.plan_select}
        before = await plan_rows(ctx)
        with pytest.raises(PermissionDenied):
            await desk.plans.create(quarterly(world))
        with pytest.raises(PermissionDenied):
            await desk.plans.update(world.plan_auto, quarterly(world))
        with pytest.raises(PermissionDenied):
            await desk.plans.set_active(world.plan_auto, False)
        assert await plan_rows(ctx) == before
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(MembershipPlan)) == 2
