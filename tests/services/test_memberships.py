"""Selling a plan on a ticket and managing the membership it starts (issue 16, item 2;
docs/rules.md#memberships); on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import LedgerEntry, Membership, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import StaleVersion, ValidationError
from frontdesk.domain.memberships import MembershipStatus, first_renewal
from frontdesk.domain.plans import BillingCycle, PlanInput, PlanMode
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.memberships import MembershipRow
from frontdesk.views.till import CheckoutInput, LineInput, SellKind, TenderInput
from tests.services.world import World, build_world

D = Decimal
ACTIVE, PAUSED, CANCELLED = MembershipStatus


def plan_sale(w: World, plan_id: int, price: str, *extra: LineInput) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=new_key(),
        client_id=w.client,
        lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=plan_id), *extra),
        tenders=(TenderInput(method="card", amount=D(price)),),
    )


def facial(w: World) -> CheckoutInput:
    lines = (LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),)
    return CheckoutInput(idempotency_key=new_key(), client_id=w.client, lines=lines)


async def joined(ctx: ServiceContext) -> tuple[World, Desk, MembershipRow]:
    """The world, the front desk, and the client's Glow Auto membership sold on a ticket."""
    w = await build_world(ctx)
    desk = Desk(ctx.as_staff(w.desk))
    await desk.till.complete(plan_sale(w, w.plan_auto, "79.00"))
    (member,) = await desk.memberships.list(w.client)
    return w, desk, member


async def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    async with ctx.read() as s:
        return (
            await s.scalar(select(func.count()).select_from(LedgerEntry)) or 0,
            await s.scalar(select(func.count()).select_from(Ticket)) or 0,
            await s.scalar(select(func.count()).select_from(Membership)) or 0,
        )


# -- selling -------------------------------------------------------------------------


async def test_the_add_list_sells_the_offered_plans(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    owner = Desk(ctx.as_staff(w.owner))
    await owner.plans.set_active(w.plan_select, False)
    catalog = await owner.till.sell_catalog(w.client)
    plans = [i for i in catalog.items if i.kind is SellKind.MEMBERSHIP]
    assert [(p.id, p.name, p.price, p.unit_name) for p in plans] == [
        (w.plan_auto, "Glow Auto", D("79.00"), "month")
    ]
    assert plans[0].line_kind is LineKind.MEMBERSHIP_FIRST


async def test_completing_a_first_payment_starts_the_membership(ctx: ServiceContext) -> None:
    w, _desk, member = await joined(ctx)
    today = dt.date.today()
    assert (member.plan_id, member.status, member.started_on) == (w.plan_auto, ACTIVE, today)
    assert member.next_renewal == first_renewal(today, BillingCycle.MONTHLY)
    assert (member.price, member.discount_percent, member.bank_label) == (
        D("79.00"),
        D("15"),
        "Auto",
    )
    assert member.version == 1


async def test_the_first_renewal_is_one_billing_cycle_ahead(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    owner = Desk(ctx.as_staff(w.owner))
    quarterly = await owner.plans.create(
        PlanInput(name="Glow Quarter", price=D("200"), billing_cycle=BillingCycle.QUARTERLY)
    )
    await owner.till.complete(plan_sale(w, quarterly.id, "200.00"))
    (member,) = await owner.memberships.list(w.client)
    assert member.next_renewal == first_renewal(dt.date.today(), BillingCycle.QUARTERLY)


@pytest.mark.parametrize("status", [ACTIVE, PAUSED])
async def test_a_member_is_refused_another_plan_at_the_line(
    ctx: ServiceContext, status: MembershipStatus
) -> None:
    w, desk, member = await joined(ctx)
    if status is PAUSED:
        await desk.memberships.pause(member.id)
    before = await counts(ctx)
    with pytest.raises(ValidationError) as refused:
        await desk.till.quote(plan_sale(w, w.plan_select, "99.00"))
    assert refused.value.field == "lines"
    assert str(refused.value) == (
        f"The client is already a member (Glow Auto, {status}): change plan on the profile"
    )
    with pytest.raises(ValidationError):
        await desk.till.complete(plan_sale(w, w.plan_select, "99.00"))
    assert await counts(ctx) == before


async def test_a_plan_no_longer_offered_can_not_be_sold(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    owner = Desk(ctx.as_staff(w.owner))
    await owner.plans.set_active(w.plan_select, False)
    with pytest.raises(ValidationError, match="Glow Select is no longer offered"):
        await owner.till.complete(plan_sale(w, w.plan_select, "99.00"))
    assert await counts(ctx) == (0, 0, 0)


async def test_one_membership_a_ticket_one_at_a_time(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    desk = Desk(ctx.as_staff(w.desk))
    second = LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_select)
    with pytest.raises(ValidationError, match="Only one membership can be sold on a ticket"):
        await desk.till.quote(plan_sale(w, w.plan_auto, "178.00", second))
    two = CheckoutInput(
        idempotency_key=new_key(),
        client_id=w.client,
        lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto, quantity=2),),
    )
    with pytest.raises(ValidationError) as refused:
        await desk.till.quote(two)
    assert refused.value.field == "quantity"


async def test_a_cancelled_member_can_join_again(ctx: ServiceContext) -> None:
    w, desk, member = await joined(ctx)
    manager = desk.as_staff(w.manager)
    await manager.memberships.cancel(member.id, "Moving away")
    await desk.till.complete(plan_sale(w, w.plan_select, "99.00"))
    rows = await desk.memberships.list(w.client)
    assert [(r.plan_name, r.status) for r in rows] == [
        ("Glow Select", ACTIVE),
        ("Glow Auto", CANCELLED),
    ]


# -- managing ------------------------------------------------------------------------


async def test_pause_gives_no_discount_and_resume_gives_it_back(ctx: ServiceContext) -> None:
    """Seed 003 ties the member discount to being a member; paused pays nothing, so it
    gets no discount either (docs/rules.md#memberships)."""
    w, desk, member = await joined(ctx)
    assert (await desk.till.quote(facial(w))).membership_discount == D("13.50")
    before = await counts(ctx)
    paused = await desk.memberships.pause(member.id, expected_version=member.version)
    assert (paused.status, paused.version) == (PAUSED, 2)
    assert (await desk.till.quote(facial(w))).membership_discount == D(0)
    assert (await desk.profile.header(w.client, None)).membership_plan is None
    with pytest.raises(ValidationError, match="Only an active membership can be paused"):
        await desk.memberships.pause(member.id)
    resumed = await desk.memberships.resume(paused.id, expected_version=paused.version)
    assert (resumed.status, resumed.next_renewal) == (ACTIVE, member.next_renewal)
    assert (await desk.till.quote(facial(w))).membership_discount == D("13.50")
    assert await counts(ctx) == before  # no ledger entry for either


async def test_resuming_after_the_renewal_passed_moves_it_to_the_next_cycle(
    ctx: ServiceContext,
) -> None:
    _w, desk, member = await joined(ctx)
    async with ctx.transaction() as s:  # a membership paused since last winter
        row = await s.get(Membership, member.id)
        assert row is not None
        row.started_on, row.next_renewal, row.status = (
            dt.date(2026, 1, 31),
            dt.date(2026, 2, 28),
            "paused",
        )
    resumed = await desk.memberships.resume(member.id, today=dt.date(2026, 5, 10))
    assert resumed.next_renewal == dt.date(2026, 5, 31)  # the anchor day, not the 28th


async def test_change_plan_applies_from_the_next_cycle(ctx: ServiceContext) -> None:
    w, desk, member = await joined(ctx)
    changed = await desk.memberships.change_plan(
        member.id, w.plan_select, expected_version=member.version
    )
    assert (changed.plan_name, changed.mode, changed.price) == (
        "Glow Select",
        PlanMode.SELECT,
        D("99.00"),
    )
    assert (changed.started_on, changed.next_renewal) == (member.started_on, member.next_renewal)
    with pytest.raises(ValidationError, match="already on that plan"):
        await desk.memberships.change_plan(member.id, w.plan_select)
    await desk.as_staff(w.owner).plans.set_active(w.plan_auto, False)
    with pytest.raises(ValidationError) as refused:
        await desk.memberships.change_plan(member.id, w.plan_auto)
    assert (refused.value.field, str(refused.value)) == ("plan", "Choose a plan the store offers")


async def test_cancel_keeps_the_beauty_bank_balance_and_history(ctx: ServiceContext) -> None:
    w, desk, member = await joined(ctx)
    await desk.balances.adjust_wallet(w.client, D("50"), "Monthly Membership Credit", key=new_key())
    manager = desk.as_staff(w.manager)
    with pytest.raises(ValidationError) as no_reason:
        await manager.memberships.cancel(member.id, "   ")
    assert no_reason.value.field == "reason"
    before = await counts(ctx)
    cancelled = await manager.memberships.cancel(member.id, "Moving away")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.next_renewal) == (
        CANCELLED,
        "Moving away",
        None,
    )
    assert cancelled.cancelled_at is not None
    assert await counts(ctx) == before  # nothing posted: the balance is the client's
    assert (await desk.clients.summary(w.client)).wallet_balance == D("50.00")
    with pytest.raises(ValidationError, match="already cancelled"):
        await manager.memberships.cancel(member.id, "Twice")
    for write in (desk.memberships.pause, desk.memberships.resume):
        with pytest.raises(ValidationError):
            await write(member.id)


async def test_a_change_based_on_an_old_read_is_refused(ctx: ServiceContext) -> None:
    w, desk, member = await joined(ctx)
    other = Desk(replace(ctx, actor=Actor(staff_id=w.desk, terminal="Room 2")))
    await other.memberships.pause(member.id, expected_version=member.version)
    with pytest.raises(StaleVersion) as stale:
        await desk.memberships.change_plan(
            member.id, w.plan_select, expected_version=member.version
        )
    assert "Changed on Room 2" in str(stale.value)
    (now,) = await desk.memberships.list(w.client)
    assert (now.plan_id, now.status, now.version) == (w.plan_auto, PAUSED, 2)


async def test_two_terminals_selling_one_client_a_plan_start_one_membership(
    ctx: ServiceContext,
) -> None:
    """The client's row is locked before the check (PostgreSQL; SQLite's write lock
    serialises the two), so the second sale sees the first's membership and is refused."""
    w = await build_world(ctx)
    room1 = Desk(replace(ctx, actor=Actor(staff_id=w.desk, terminal="Room 1")))
    room2 = Desk(replace(ctx, actor=Actor(staff_id=w.therapist, terminal="Room 2")))
    results = await asyncio.gather(
        room1.till.complete(plan_sale(w, w.plan_auto, "79.00")),
        room2.till.complete(plan_sale(w, w.plan_select, "99.00")),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert "already a member" in str(refused[0])
    assert len(await room1.memberships.list(w.client)) == 1
    assert (await counts(ctx))[1:] == (1, 1)  # one ticket, one membership
