"""The renewal run (issue 16, item 3): each active membership due is charged through the
gateway once per cycle and its benefit given once, however often and on however many
terminals the run goes; a declined card credits nothing, is retried on the next runs
three times and then stays past due until paid at the desk. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.renewals import MAX_ATTEMPTS, CycleStatus
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.payment_gateway import FakeGateway
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import TEST_MONEY
from tests.services.renewals_helpers import (
    CrashAfterCharge,
    PausesWhileCharging,
    cycles,
    member,
    next_renewal,
    notes,
    takings,
    wallet,
)
from tests.services.world import World, assert_ledger_consistent, build_world, day


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def manager(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.manager))


async def test_run_twice_for_one_date_charges_and_credits_once(
    ctx: ServiceContext, world: World
) -> None:
    m = await member(ctx, world.client, world.plan_auto)
    gateway = FakeGateway()
    first = await manager(ctx, world).renewals.run(day(0), gateway)
    assert (first.renewed, first.credited, first.declined, first.skipped) == (
        1,
        TEST_MONEY.from_minor(5000),
        0,
        0,
    )
    again = await manager(ctx, world).renewals.run(day(0), gateway)
    assert (again.renewed, again.credited) == (0, TEST_MONEY.zero)
    assert len(gateway.charged) == 1
    assert await wallet(ctx, world.client) == 5000  # the plan's credit, not its fee
    # The payment is money taken: one closed ticket paid by card, at the plan's price.
    assert await takings(ctx) == (1, 7900)
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.benefit, cycle.attempts) == ("paid", "credited", 1)
    assert cycle.gateway_ref == "fake-000001" and cycle.ticket_id is not None
    assert await next_renewal(ctx, m) == day(0).replace(month=12)
    texts = [t for _c, _ch, t in await notes(ctx)]
    assert len(texts) == 2 and all(t.startswith("Your wallet just grew!") for t in texts)
    await assert_ledger_consistent(ctx)


async def test_the_next_cycle_renews_on_its_own_date(ctx: ServiceContext, world: World) -> None:
    await member(ctx, world.client, world.plan_auto)
    gateway = FakeGateway()
    await manager(ctx, world).renewals.run(day(0), gateway)
    report = await manager(ctx, world).renewals.run(day(0).replace(month=12), gateway)
    assert report.renewed == 1 and len(gateway.charged) == 2
    assert await wallet(ctx, world.client) == 10000


async def test_concurrent_runs_credit_once(ctx: ServiceContext, world: World, db_url: str) -> None:
    """Two terminals (each its own engine and connections) run for the same date at once;
    the gateway stands for one provider both talk to (it answers a key once)."""
    for client in (world.client, world.other_client):
        await member(ctx, client, world.plan_auto)
    gateway = FakeGateway()
    other = ServiceContext.create(create_engine(db_url), terminal="back-office")
    try:
        one = Desk(ctx.as_staff(world.manager))
        two = Desk(other.as_staff(world.owner))
        reports = await asyncio.gather(
            one.renewals.run(day(0), gateway), two.renewals.run(day(0), gateway)
        )
    finally:
        await other.dispose()
    assert sum(r.renewed for r in reports) == 2
    assert sum(r.credited for r in reports) == TEST_MONEY.from_minor(10000)
    assert len(gateway.charged) == 2
    assert await wallet(ctx, world.client) == 5000
    assert await wallet(ctx, world.other_client) == 5000
    assert await takings(ctx) == (2, 15800)
    await assert_ledger_consistent(ctx)


async def test_a_crash_between_charge_and_record_is_finished_without_charging_twice(
    ctx: ServiceContext, world: World
) -> None:
    await member(ctx, world.client, world.plan_auto)
    gateway = FakeGateway()
    crashed = await manager(ctx, world).renewals.run(day(0), CrashAfterCharge(gateway))
    assert (crashed.renewed, crashed.unanswered) == (0, 1)
    (cycle,) = await cycles(ctx)
    assert cycle.status == CycleStatus.CHARGING and len(gateway.charged) == 1
    assert await wallet(ctx, world.client) == 0
    finished = await manager(ctx, world).renewals.run(day(0), gateway)
    assert finished.renewed == 1
    assert len(gateway.charged) == 1  # the same key: answered from memory
    assert await wallet(ctx, world.client) == 5000
    assert await takings(ctx) == (1, 7900)


async def test_a_renewal_that_cannot_be_recorded_does_not_stop_the_run(
    ctx: ServiceContext, world: World
) -> None:
    """Paused while its card was being charged: the checkout refuses the line, that one
    membership is reported (and left charging, under its key), the others renew; once
    active again, the next run records it without charging again."""
    m = await member(ctx, world.client, world.plan_auto)
    await member(ctx, world.other_client, world.plan_auto)
    gateway = FakeGateway()
    report = await manager(ctx, world).renewals.run(
        day(0), PausesWhileCharging(gateway, ctx, world.client, m)
    )
    assert (report.renewed, len(report.errors)) == (1, 1)
    assert report.errors[0].startswith(f"membership #{m}: ") and "not active" in report.errors[0]
    assert "not recorded 1" in str(report)
    assert await wallet(ctx, world.client) == 0 and len(gateway.charged) == 2
    async with ctx.transaction() as s:
        await s.execute(update(Membership).where(Membership.id == m).values(status="active"))
    again = await manager(ctx, world).renewals.run(day(0), gateway)
    assert (again.renewed, again.errors, len(gateway.charged)) == (1, (), 2)
    assert await wallet(ctx, world.client) == 5000
    assert await takings(ctx) == (2, 15800)


async def test_declined_credits_nothing_is_retried_then_stops(
    ctx: ServiceContext, world: World
) -> None:
    m = await member(ctx, world.client, world.plan_auto)
    gateway = FakeGateway(decline_clients={world.client}, reason="Insufficient funds")
    desk = manager(ctx, world)
    first = await desk.renewals.run(day(0), gateway)
    assert (first.renewed, first.declined, first.failed, first.credited) == (
        0,
        1,
        0,
        TEST_MONEY.zero,
    )
    header = await desk.profile.header(world.client, None)
    assert header.past_due
    # Once per run date: a second run the same day does not charge again.
    assert (await desk.renewals.run(day(0), gateway)).skipped == 1
    assert gateway.calls == 1
    for offset in range(1, MAX_ATTEMPTS):
        report = await desk.renewals.run(day(offset), gateway)
        assert report.declined == 1
        assert report.failed == (1 if offset == MAX_ATTEMPTS - 1 else 0)
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.attempts, cycle.decline_reason) == (
        "failed",
        MAX_ATTEMPTS,
        "Insufficient funds",
    )
    after = await desk.renewals.run(day(MAX_ATTEMPTS + 5), gateway)
    assert (after.skipped, gateway.calls) == (1, MAX_ATTEMPTS)  # no more charges
    assert await wallet(ctx, world.client) == 0 and await takings(ctx) == (0, 0)
    assert await notes(ctx) == []
    assert await next_renewal(ctx, m) == day(0)  # still the unpaid cycle
    # Paid at the desk: the failed cycle is paid, credited, and no longer past due.
    paid = await Desk(ctx.as_staff(world.desk)).till.complete(
        CheckoutInput(
            idempotency_key=new_key(),
            client_id=world.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_RENEWAL, membership_id=m),),
            tenders=(TenderInput(method="card", amount=TEST_MONEY.from_minor(7900)),),
        )
    )
    assert paid.wallet_credited == TEST_MONEY.from_minor(5000)
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.benefit, cycle.ticket_id) == ("paid", "credited", paid.ticket_id)
    assert not (await desk.profile.header(world.client, None)).past_due
    assert await next_renewal(ctx, m) == day(0).replace(month=12)
    await assert_ledger_consistent(ctx)


async def test_a_retry_that_is_approved_renews(ctx: ServiceContext, world: World) -> None:
    await member(ctx, world.client, world.plan_auto)
    gateway = FakeGateway(decline_calls={1})
    assert (await manager(ctx, world).renewals.run(day(0), gateway)).declined == 1
    report = await manager(ctx, world).renewals.run(day(1), gateway)
    assert (report.renewed, report.credited) == (1, TEST_MONEY.from_minor(5000))
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.attempts) == ("paid", 2)
    assert not (await manager(ctx, world).profile.header(world.client, None)).past_due


async def test_paused_and_cancelled_memberships_get_nothing(
    ctx: ServiceContext, world: World
) -> None:
    await member(ctx, world.client, world.plan_auto, status="paused")
    await member(ctx, world.other_client, world.plan_auto, status="cancelled")
    gateway = FakeGateway()
    report = await manager(ctx, world).renewals.run(day(0), gateway)
    assert (report.renewed, report.skipped, gateway.calls) == (0, 0, 0)
    assert await cycles(ctx) == [] and await notes(ctx) == []
    assert await wallet(ctx, world.client) == 0 and await wallet(ctx, world.other_client) == 0


async def test_an_opted_out_client_gets_no_outbox_row_for_that_channel(
    ctx: ServiceContext, world: World
) -> None:
    await Desk(ctx.as_staff(world.desk)).profile.set_notification(
        world.client, "sms", "account", False
    )
    await member(ctx, world.client, world.plan_auto)
    await manager(ctx, world).renewals.run(day(0), FakeGateway())
    assert [(c, ch) for c, ch, _t in await notes(ctx)] == [(world.client, "email")]
    assert await wallet(ctx, world.client) == 5000  # the opt-out is of the message only


async def test_beauty_bank_off_renews_without_credit_and_the_old_balance_spends(
    ctx: ServiceContext, world: World
) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(
        world.client, TEST_MONEY.from_minor(3000), "Earlier credit", key=new_key()
    )
    async with ctx.transaction() as s:
        await s.execute(
            update(MembershipPlan)
            .where(MembershipPlan.id == world.plan_auto)
            .values(beauty_bank=False)
        )
    m = await member(ctx, world.client, world.plan_auto)
    report = await manager(ctx, world).renewals.run(day(0), FakeGateway())
    assert (report.renewed, report.credited, report.pending_choices) == (1, TEST_MONEY.zero, 0)
    assert await wallet(ctx, world.client) == 3000 and await notes(ctx) == []
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.benefit) == ("paid", "none")
    assert await next_renewal(ctx, m) == day(0).replace(month=12)
    history = await desk.balances.history(world.client, StoredValueKind.WALLET_MONEY)
    assert [e.description for e in history.entries] == ["Earlier credit"]
    spent = await desk.till.complete(
        CheckoutInput(
            idempotency_key=new_key(),
            client_id=world.client,
            lines=(LineInput(kind=LineKind.SERVICE, service_id=world.facial),),
            use_wallet=True,
            # £90 less the member's 15% is £76.50; the old £30 pays part of it.
            tenders=(TenderInput(method="card", amount=TEST_MONEY.from_minor(4650)),),
        )
    )
    assert spent.wallet_applied == TEST_MONEY.from_minor(3000)
    assert await wallet(ctx, world.client) == 0


async def test_running_needs_the_permission(ctx: ServiceContext, world: World) -> None:
    await member(ctx, world.client, world.plan_auto)
    with pytest.raises(PermissionDenied):
        await Desk(ctx.as_staff(world.desk)).renewals.run(day(0), FakeGateway())
    assert await cycles(ctx) == []
