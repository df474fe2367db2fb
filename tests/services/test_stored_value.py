"""Account balance and Beauty Bank desk, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import update

from frontdesk.db.tables import Staff
from frontdesk.domain.errors import (
    AlreadyReversed,
    InsufficientBalance,
    NotReversible,
    PermissionDenied,
    ValidationError,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import World, assert_ledger_consistent, build_world, ledger_rows

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def test_credit_then_charge_then_pay_balance(ctx: ServiceContext, world: World) -> None:
    desk = ctx.as_staff(world.desk)
    change = await Desk(desk).balances.issue_account_credit(
        world.client, D("20.00"), "Goodwill", key=new_key()
    )
    assert (change.balance_before, change.balance_after) == (D("0.00"), D("20.00"))
    assert change.entry.reason == "credit" and change.entry.staff_name == "Dee Desk"
    assert change.entry.terminal == "test-desk"
    owed = await Desk(desk).balances.charge_account(
        world.client, D("50.00"), "Missed appointment fee", key=new_key()
    )
    assert owed.balance_after == D("-30.00")
    summary = await Desk(ctx).clients.summary(world.client)
    assert summary.owes == D("30.00")
    paid = await Desk(desk).balances.pay_balance(world.client, D("40.00"), "card", key=new_key())
    assert paid.balance_after == D("10.00")
    assert "rest as credit" in paid.entry.description
    await assert_ledger_consistent(ctx)


async def test_a_wallet_adjustment_replayed_after_the_permission_went_is_refused(
    ctx: ServiceContext, world: World
) -> None:
    """The posting claims its key before it reads who acts (with the account's lock, issue
    19): a replay still asks for the permission, which counts from the next transaction."""
    desk = Desk(ctx.as_staff(world.desk))
    key = new_key()
    first = await desk.balances.adjust_wallet(world.client, D("5"), "Goodwill", key=key)
    assert (await desk.balances.adjust_wallet(world.client, D("5"), "Goodwill", key=key)) == (
        first.model_copy(update={"replayed": True})
    )
    async with ctx.transaction() as s:
        await s.execute(update(Staff).where(Staff.id == world.desk).values(role="therapist"))
    before = await ledger_rows(ctx)
    for again in (key, new_key()):
        with pytest.raises(PermissionDenied):
            await desk.balances.adjust_wallet(world.client, D("5"), "Goodwill", key=again)
    assert await ledger_rows(ctx) == before


async def test_owed_balance_cannot_be_paid_at_the_kiosk(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await Desk(ctx).balances.charge_account(
        world.client, D("15"), "Product on account", key=new_key()
    )
    before = await ledger_rows(ctx)
    with pytest.raises(PermissionDenied):
        await Desk(ctx).balances.pay_balance(
            world.client, D("15"), "card", at_kiosk=True, key=new_key()
        )
    assert await ledger_rows(ctx) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda c, w: Desk(c).balances.issue_account_credit(
                w.client, D("0"), "x", key=new_key()
            ),
            "amount",
        ),
        (
            lambda c, w: Desk(c).balances.issue_account_credit(
                w.client, D("-5"), "x", key=new_key()
            ),
            "amount",
        ),
        (
            lambda c, w: Desk(c).balances.charge_account(
                w.client, D("1000000.01"), "x", key=new_key()
            ),
            "amount",
        ),
        (
            lambda c, w: Desk(c).balances.issue_account_credit(
                w.client, D("5"), "   ", key=new_key()
            ),
            "reason",
        ),
        (
            lambda c, w: Desk(c).balances.adjust_wallet(
                w.client, D("0"), "Goodwill", key=new_key()
            ),
            "amount",
        ),
        (
            lambda c, w: Desk(c).balances.adjust_wallet(w.client, D("5"), "", key=new_key()),
            "description",
        ),
        (
            lambda c, w: Desk(c).balances.adjust_wallet(w.client, D("5"), "x" * 201, key=new_key()),
            "description",
        ),
        (
            lambda c, w: Desk(c).balances.adjust_wallet(
                w.client, D("5"), "bad\x07bell", key=new_key()
            ),
            "description",
        ),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    ctx: ServiceContext, world: World, call: object, field: str
) -> None:
    before = await ledger_rows(ctx)
    with pytest.raises(ValidationError) as err:  # from someone who may adjust balances
        await call(ctx.as_staff(world.desk), world)  # type: ignore[operator]
    assert err.value.field == field
    assert await ledger_rows(ctx) == before


async def test_wallet_adjust_signed_and_never_below_zero_without_permission(
    ctx: ServiceContext, world: World
) -> None:
    desk = ctx.as_staff(world.desk)
    up = await Desk(desk).balances.adjust_wallet(
        world.client, D("50"), "Goodwill credit — appointment issue", key=new_key()
    )
    assert up.balance_after == D("50.00") and up.entry.amount == D("50.00")
    down = await Desk(desk).balances.adjust_wallet(
        world.client, D("-10"), "Correction", key=new_key()
    )
    assert (down.balance_before, down.balance_after) == (D("50.00"), D("40.00"))
    before = await ledger_rows(ctx)
    with pytest.raises(PermissionDenied) as refused:  # confirming is not enough either
        await Desk(desk).balances.adjust_wallet(
            world.client, D("-50"), "Too much", allow_negative=True, key=new_key()
        )
    assert refused.value.permission == "deduct below zero"
    manager = ctx.as_staff(world.manager)
    with pytest.raises(InsufficientBalance):  # permission alone is not enough
        await Desk(manager).balances.adjust_wallet(
            world.client, D("-50"), "Clear it", key=new_key()
        )
    assert await ledger_rows(ctx) == before
    neg = await Desk(manager).balances.adjust_wallet(
        world.client, D("-50"), "Clear it", allow_negative=True, key=new_key()
    )
    assert neg.balance_after == D("-10.00")
    await assert_ledger_consistent(ctx)


async def test_reversal_is_a_new_entry_and_only_once(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.manager)
    change = await Desk(ctx).balances.adjust_wallet(
        world.client, D("-0.01") + D("25.01"), "Goodwill", key=new_key()
    )
    rev = await Desk(ctx).balances.reverse_entry(change.entry.id, "Wrong client", key=new_key())
    assert rev.amount == D("-25.00") and rev.reverses_entry_id == change.entry.id
    assert rev.balance_after == D("0.00")
    with pytest.raises(AlreadyReversed):
        await Desk(ctx).balances.reverse_entry(change.entry.id, "Again", key=new_key())
    with pytest.raises(NotReversible, match="itself a reversal"):
        await Desk(ctx).balances.reverse_entry(rev.id, "Undo the undo", key=new_key())
    with pytest.raises(ValidationError):
        await Desk(ctx).balances.reverse_entry(change.entry.id, "", key=new_key())
    page = await Desk(ctx).balances.history(world.client, StoredValueKind.WALLET_MONEY)
    assert [e.id for e in page.entries] == [rev.id, change.entry.id]  # newest first
    assert page.entries[1].reversed_by_id == rev.id
    await assert_ledger_consistent(ctx)


async def test_reversing_spent_wallet_credit_is_refused(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.manager)
    credit = await Desk(ctx).balances.adjust_wallet(
        world.client, D("30"), "Goodwill", key=new_key()
    )
    await Desk(ctx).balances.adjust_wallet(world.client, D("-20"), "Spent elsewhere", key=new_key())
    with pytest.raises(InsufficientBalance):
        await Desk(ctx).balances.reverse_entry(credit.entry.id, "Mistake", key=new_key())


async def test_liability_from_entries(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.manager)
    await Desk(ctx).balances.adjust_wallet(world.client, D("50"), "Goodwill", key=new_key())
    mid = dt.datetime.now(dt.UTC)
    await Desk(ctx).balances.adjust_wallet(world.client, D("-20"), "Spent", key=new_key())
    await Desk(ctx).balances.issue_account_credit(
        world.client, D("15"), "Refund as credit", key=new_key()
    )
    await Desk(ctx).balances.charge_account(world.other_client, D("99"), "Owes", key=new_key())
    now = await Desk(ctx).balances.liability()
    assert (now.wallet, now.account_credit) == (D("30.00"), D("15.00"))
    assert now.total == D("45.00")  # what a client owes is not a liability
    then = await Desk(ctx).balances.liability(mid)
    assert (then.wallet, then.account_credit) == (D("50.00"), D("0.00"))


async def test_history_pages(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    for i in range(1, 8):
        await Desk(ctx).balances.adjust_wallet(world.client, D(i), f"Credit {i}", key=new_key())
    page = await Desk(ctx).balances.history(
        world.client, StoredValueKind.WALLET_MONEY, offset=2, limit=3
    )
    assert page.total == 7
    assert [e.description for e in page.entries] == ["Credit 5", "Credit 4", "Credit 3"]


async def test_balances_with_history_is_the_summary_and_the_page(
    ctx: ServiceContext, world: World
) -> None:
    """The Account tab's first look (one read) shows what the two reads it replaces do."""
    desk = Desk(ctx.as_staff(world.desk))
    for amount in ("5.00", "7.00", "9.00"):
        await desk.balances.adjust_wallet(world.client, D(amount), "Goodwill", key=new_key())
    await desk.balances.issue_account_credit(world.client, D("20.00"), "Goodwill", key=new_key())
    wallet = StoredValueKind.WALLET_MONEY
    both = await desk.balances.with_history(world.client, wallet, offset=1, limit=1)
    assert both.summary == await desk.clients.summary(world.client)
    assert both.page == await desk.balances.history(world.client, wallet, offset=1, limit=1)
    assert [e.amount for e in both.page.entries] == [D("7.00")]
    assert both.page.total == 3 and both.summary.wallet_balance == D("21.00")
