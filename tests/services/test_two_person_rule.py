"""The two-person rule (issue 13, item 3; docs/rules.md, X4): an adjustment, reversal or
refund worth more than the store's threshold (default 100.00) needs a second person's
PIN on the same terminal; both are recorded. Both engines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import LedgerEntry, StoredValueAccount, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import (
    ApprovalNeeded,
    PermissionDenied,
    ValidationError,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.staff import Approval
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
PINS = {"desk": "2468", "manager": "1357", "owner": "9090", "therapist": "4444"}


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    w = await build_world(ctx, approval_threshold_minor=10000)  # the store's default
    operator = Desk(ServiceContext.create(ctx.engine, terminal="cli", operator=True))
    for role, pin in PINS.items():
        await operator.team.set_pin(getattr(w, role), pin)
    return w


def as_(ctx: ServiceContext, staff_id: int) -> Desk:
    return Desk(ctx.as_staff(staff_id))


def by(w: World, role: str, pin: str | None = None) -> Approval:
    return Approval(who=str(getattr(w, role)), pin=pin or PINS[role])


async def entries(ctx: ServiceContext) -> list[LedgerEntry]:
    async with ctx.read() as s:
        return list((await s.scalars(select(LedgerEntry).order_by(LedgerEntry.id))).all())


async def test_within_the_threshold_one_person_is_enough(ctx: ServiceContext, world: World) -> None:
    change = await as_(ctx, world.desk).balances.adjust_wallet(
        world.client, D("100.00"), "Gift", key=new_key()
    )
    assert change.balance_after == D("100.00")
    [entry] = await entries(ctx)
    assert (entry.staff_id, entry.approved_by) == (world.desk, None)


async def test_above_the_threshold_without_a_manager_nothing_is_written(
    ctx: ServiceContext, world: World
) -> None:
    desk = as_(ctx, world.desk)
    calls: tuple[Callable[[], Awaitable[object]], ...] = (
        lambda: desk.balances.adjust_wallet(world.client, D("100.01"), "Gift", key=new_key()),
        lambda: desk.balances.issue_account_credit(
            world.client, D("250"), "Goodwill", key=new_key()
        ),
        lambda: desk.balances.charge_account(
            world.client, D("250"), "Broken mirror", key=new_key()
        ),
    )
    for call in calls:
        with pytest.raises(ApprovalNeeded) as needed:
            await call()
        assert needed.value.threshold == D("100.00")
        assert "£100.00" in str(needed.value)
    assert await entries(ctx) == []


async def test_a_managers_pin_lets_it_through_and_both_are_recorded(
    ctx: ServiceContext, world: World
) -> None:
    desk = as_(ctx, world.desk)
    await desk.balances.adjust_wallet(
        world.client, D("150"), "Gift", approval=by(world, "manager"), key=new_key()
    )
    await desk.balances.issue_account_credit(
        world.client, D("250"), "Goodwill", approval=by(world, "owner"), key=new_key()
    )
    first, second = await entries(ctx)
    assert (first.staff_id, first.approved_by, first.amount) == (world.desk, world.manager, 15000)
    assert (second.staff_id, second.approved_by) == (world.desk, world.owner)
    await assert_ledger_consistent(ctx)  # the approver is covered by the hash chain


async def test_a_wrong_pin_is_refused_and_counts_toward_the_managers_lock(
    ctx: ServiceContext, world: World
) -> None:
    desk = as_(ctx, world.desk)
    for _ in range(5):
        with pytest.raises(ValidationError) as refused:
            await desk.balances.adjust_wallet(
                world.client, D("150"), "Gift", approval=by(world, "manager", "0000"), key=new_key()
            )
        assert refused.value.field == "approver"
    # Five wrong: the manager is locked everywhere, even with the right PIN.
    with pytest.raises(ValidationError):
        await desk.balances.adjust_wallet(
            world.client, D("150"), "Gift", approval=by(world, "manager"), key=new_key()
        )
    assert await entries(ctx) == []


async def test_the_approver_is_a_second_person_who_may_approve(
    ctx: ServiceContext, world: World
) -> None:
    manager = as_(ctx, world.manager)
    with pytest.raises(ValidationError) as same:
        await manager.balances.adjust_wallet(
            world.client, D("150"), "Gift", approval=by(world, "manager"), key=new_key()
        )
    assert same.value.field == "approver"
    with pytest.raises(PermissionDenied) as not_allowed:
        await as_(ctx, world.desk).balances.adjust_wallet(
            world.client, D("150"), "Gift", approval=by(world, "therapist"), key=new_key()
        )
    assert not_allowed.value.permission == Perm.APPROVE.value
    assert await entries(ctx) == []
    await manager.balances.adjust_wallet(
        world.client, D("150"), "Gift", approval=by(world, "owner"), key=new_key()
    )
    [entry] = await entries(ctx)
    assert (entry.staff_id, entry.approved_by) == (world.manager, world.owner)


async def test_a_reversal_is_weighed_by_what_the_entry_moved(
    ctx: ServiceContext, world: World
) -> None:
    desk = as_(ctx, world.desk)
    big = await desk.balances.adjust_wallet(
        world.client, D("150"), "Gift", approval=by(world, "owner"), key=new_key()
    )
    small = await desk.balances.adjust_wallet(world.client, D("40"), "Gift", key=new_key())
    manager = as_(ctx, world.manager)
    await manager.balances.reverse_entry(small.entry.id, "Typo", key=new_key())
    with pytest.raises(ApprovalNeeded):
        await manager.balances.reverse_entry(big.entry.id, "Typo", key=new_key())
    reversal = await manager.balances.reverse_entry(
        big.entry.id, "Typo", approval=by(world, "owner"), key=new_key()
    )
    last = (await entries(ctx))[-1]
    assert last.id == reversal.id
    assert (last.staff_id, last.approved_by, last.amount) == (world.manager, world.owner, -15000)


async def test_prepaid_visits_count_at_their_sale_value(ctx: ServiceContext, world: World) -> None:
    async with ctx.transaction() as s:
        account = StoredValueAccount(
            client_id=world.client,
            kind=StoredValueKind.PREPAID_VISITS.value,
            item_key=f"service:{world.massage}",
            service_id=world.massage,
            unit_value_minor=8000,
            balance=0,
        )
        s.add(account)
        await s.flush()
        account_id = account.id
    desk = as_(ctx, world.desk)
    await desk.prepaid.adjust(account_id, 1, "Paper card", key=new_key())  # one £80 visit
    with pytest.raises(ApprovalNeeded):
        await desk.prepaid.adjust(account_id, 3, "Paper card", key=new_key())  # two more: £160
    item = await desk.prepaid.adjust(
        account_id, 3, "Paper card", approval=by(world, "manager"), key=new_key()
    )
    assert item.remaining == 3
    assert (await entries(ctx))[-1].approved_by == world.manager


async def test_a_refund_above_the_threshold_needs_a_second_manager(
    ctx: ServiceContext, world: World
) -> None:
    sale = await as_(ctx, world.desk).till.complete(
        CheckoutInput(
            idempotency_key="serum-sale",
            client_id=world.client,
            lines=(LineInput(kind=LineKind.PRODUCT, product_id=world.serum, quantity=3),),
            tenders=(TenderInput(method="card", amount=D("135.00")),),
        )
    )
    manager = as_(ctx, world.manager)
    with pytest.raises(ApprovalNeeded):
        await manager.till.reverse(sale.ticket_id, "Returned unopened")
    await manager.till.reverse(sale.ticket_id, "Returned unopened", approval=by(world, "owner"))
    async with ctx.read() as s:
        ticket = await s.get(Ticket, sale.ticket_id)
        assert ticket is not None
        assert (ticket.status, ticket.refunded_by, ticket.refund_approved_by) == (
            "refunded",
            world.manager,
            world.owner,
        )
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) is not None
