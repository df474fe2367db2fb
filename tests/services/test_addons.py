"""Add-ons on an appointment (seed: banked products), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db import ledger
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import AppointmentAddon, LedgerEntry, StoredValueAccount
from frontdesk.domain.addons import open_split, with_owned
from frontdesk.domain.errors import (
    AlreadyReversed,
    Conflict,
    NotFound,
    Unavailable,
    ValidationError,
)
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from tests.services.clinic import Clinic, build_clinic
from tests.services.factories import make_appointment, make_product

START = dt.datetime(2025, 11, 23, 10, 0)


World = Clinic


async def build_world(ctx: ServiceContext, *, banking: bool = True, owned: int = 10) -> World:
    """The shared clinic at £10.00 a Botox unit, on this file's morning."""
    return await build_clinic(
        ctx, banking=banking, owned=owned, botox_price_minor=1_000, starts_at=START
    )


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


@pytest.fixture
async def other_terminal(db_url: str, world: World) -> AsyncIterator[ServiceContext]:
    """A second terminal, the injector signed in: its own engine and connection pool on
    the same database."""
    context = ServiceContext.create(
        create_engine(db_url), terminal="desk-2", staff_id=world.staff_id
    )
    try:
        yield context
    finally:
        await context.dispose()


async def another_appointment(ctx: ServiceContext, w: World, hours_later: int) -> int:
    row = await make_appointment(
        ctx,
        client_id=w.client_id,
        service_id=w.service_id,
        staff_id=w.staff_id,
        location_id=w.location_id,
        starts_at=START + dt.timedelta(hours=hours_later),
    )
    return row.id


async def balance(ctx: ServiceContext, client_id: int, product_id: int) -> int:
    async with ctx.read() as session:
        value = await session.scalar(
            select(StoredValueAccount.balance).where(
                StoredValueAccount.client_id == client_id,
                StoredValueAccount.product_id == product_id,
            )
        )
        return int(value or 0)


async def entries(ctx: ServiceContext) -> list[LedgerEntry]:
    async with ctx.read() as session:
        return list((await session.execute(select(LedgerEntry).order_by(LedgerEntry.id))).scalars())


async def lines(ctx: ServiceContext, appointment_id: int) -> list[AppointmentAddon]:
    async with ctx.read() as session:
        stmt = (
            select(AppointmentAddon)
            .where(AppointmentAddon.appointment_id == appointment_id)
            .order_by(AppointmentAddon.id)
        )
        return list((await session.execute(stmt)).scalars())


async def assert_cache_matches_entries(ctx: ServiceContext) -> None:
    async with ctx.read() as session:
        for account in (await session.execute(select(StoredValueAccount))).scalars():
            total = await session.scalar(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.account_id == account.id
                )
            )
            assert account.balance == total, account.item_key


# -- the seed's two examples ---------------------------------------------------------


async def test_own_10_need_15_uses_10_and_buys_5(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    picker = await Desk(ctx).addons.picker(world.appointment_id)
    assert picker.banking_enabled
    assert picker.client_name == "Ann Lee"
    assert picker.service_name == "Botox — Anti-wrinkle"
    (botox,) = picker.client_owns
    assert (botox.product_id, botox.owned, botox.default_units) == (world.botox_id, 10, 15)
    assert botox.unit_price == Decimal("10.00")
    assert picker.buy_new == ()

    split = open_split(botox.owned, botox.default_units)
    assert (split.use, split.buy) == (10, 5)
    result = await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, use=split.use, buy=split.buy, expected_owned=10)],
        key=new_key(),
    )

    assert result.owned_after == {world.botox_id: 0}
    (line,) = result.appointment.addons
    assert (line.use_units, line.buy_units, line.unit_price) == (10, 5, Decimal("10.00"))
    assert await balance(ctx, world.client_id, world.botox_id) == 0
    _bank, use = await entries(ctx)
    assert (use.amount, use.balance_after, use.reason) == (-10, 0, "use")
    assert use.appointment_id == world.appointment_id
    assert use.ticket_id is None
    assert use.terminal == "test-desk"
    assert use.description == "Used on Botox — Anti-wrinkle 23 Nov 10:00"
    (row,) = await lines(ctx, world.appointment_id)
    assert row.use_entry_id == use.id
    assert row.unit_price_minor == 1_000
    assert row.bank_units == 0
    await assert_cache_matches_entries(ctx)


async def test_own_0_need_1_buys_1_and_writes_no_entry(ctx: ServiceContext) -> None:
    w = await build_world(ctx, owned=0)
    picker = await Desk(ctx).addons.picker(w.appointment_id)
    assert picker.client_owns == ()
    (botox,) = picker.buy_new
    assert botox.owned == 0
    split = open_split(botox.owned, 1)
    assert (split.use, split.buy) == (0, 1)

    result = await Desk(ctx).addons.add_to_service(
        w.appointment_id,
        [AddonSelection(w.botox_id, use=0, buy=1, expected_owned=0)],
        key=new_key(),
    )

    assert result.owned_after == {w.botox_id: 0}
    (line,) = result.appointment.addons
    assert (line.use_units, line.buy_units) == (0, 1)
    assert await entries(ctx) == []
    (row,) = await lines(ctx, w.appointment_id)
    assert row.use_entry_id is None


# -- another terminal got there first -------------------------------------------------


async def test_units_used_on_another_terminal_meanwhile_is_a_conflict_writing_nothing(
    ctx: ServiceContext, world: World, other_terminal: ServiceContext
) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    picker = await Desk(ctx).addons.picker(world.appointment_id)
    assert picker.client_owns[0].owned == 10
    later = await another_appointment(ctx, world, hours_later=2)
    await Desk(other_terminal).addons.add_to_service(
        later, [AddonSelection(world.botox_id, use=4, buy=0, expected_owned=10)], key=new_key()
    )
    count_before = len(await entries(ctx))

    with pytest.raises(Conflict) as caught:
        await Desk(ctx).addons.add_to_service(
            world.appointment_id,
            [AddonSelection(world.botox_id, use=10, buy=5, expected_owned=10)],
            key=new_key(),
        )

    assert caught.value.owned == 6
    assert str(caught.value) == (
        "Only 6 Botox units left — another terminal used some. The picker has been refreshed."
    )
    assert len(await entries(ctx)) == count_before
    assert await lines(ctx, world.appointment_id) == []
    assert await balance(ctx, world.client_id, world.botox_id) == 6

    # The picker re-fits the split to the fresh count, keeping the total; that goes through.
    refreshed = with_owned(open_split(10, 15), caught.value.owned)
    assert (refreshed.use, refreshed.buy) == (6, 9)
    result = await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, refreshed.use, refreshed.buy, expected_owned=6)],
        key=new_key(),
    )
    assert result.owned_after == {world.botox_id: 0}
    await assert_cache_matches_entries(ctx)


async def test_using_more_than_the_picker_showed_is_a_validation_error(
    ctx: ServiceContext, world: World
) -> None:
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.add_to_service(
            world.appointment_id,
            [AddonSelection(world.botox_id, use=12, buy=3, expected_owned=10)],
            key=new_key(),
        )
    assert caught.value.field == "use"
    assert await balance(ctx, world.client_id, world.botox_id) == 10


async def test_concurrent_uses_across_two_engines_never_overspend(
    ctx: ServiceContext, world: World, other_terminal: ServiceContext
) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    appointment_ids = [await another_appointment(ctx, world, hours_later=h) for h in range(1, 9)]
    terminals = [ctx, other_terminal]
    count_before = len(await entries(ctx))

    async def use_three(i: int, appointment_id: int) -> str:
        try:
            await Desk(terminals[i % 2]).addons.add_to_service(
                appointment_id,
                [AddonSelection(world.botox_id, use=3, buy=0, expected_owned=10)],
                key=new_key(),
            )
        except Conflict as exc:
            assert exc.owned is not None and exc.owned < 3
            return "conflict"
        return "ok"

    outcomes = await asyncio.gather(
        *(use_three(i, a) for i, a in enumerate(appointment_ids)), return_exceptions=True
    )

    unexpected = [o for o in outcomes if isinstance(o, BaseException)]
    assert not any(isinstance(o, Unavailable) for o in unexpected), unexpected
    assert unexpected == []
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["conflict"] * 5 + ["ok"] * 3
    assert await balance(ctx, world.client_id, world.botox_id) == 1
    assert len(await entries(ctx)) == count_before + 3
    await assert_cache_matches_entries(ctx)


# -- editing, removing and cancelling give units back ----------------------------------


async def test_reopening_the_picker_edits_the_line_instead_of_duplicating(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 10, 5, expected_owned=10)],
        key=new_key(),
    )
    picker = await Desk(ctx).addons.picker(world.appointment_id)
    # The 10 this appointment already uses are the client's to re-split.
    assert picker.client_owns[0].owned == 10
    (current,) = picker.current
    assert (current.use_units, current.buy_units) == (10, 5)

    result = await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 8, 7, expected_owned=10)],
        key=new_key(),
    )

    (line,) = result.appointment.addons
    assert (line.use_units, line.buy_units) == (8, 7)
    assert result.owned_after == {world.botox_id: 2}
    _bank, first_use, returned, second_use = await entries(ctx)
    assert returned.reverses_entry_id == first_use.id
    assert (returned.amount, returned.reason) == (10, "reversal")
    assert second_use.amount == -8
    old, new = await lines(ctx, world.appointment_id)
    assert old.removed_at is not None
    assert new.removed_at is None and new.use_entry_id == second_use.id
    await assert_cache_matches_entries(ctx)


async def test_removing_an_addon_returns_units_by_a_reversal_that_cannot_repeat(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    result = await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 10, 5, expected_owned=10)],
        key=new_key(),
    )
    addon_id = result.appointment.addons[0].id

    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.remove(addon_id, "  ")
    assert caught.value.field == "reason"

    view = await Desk(ctx).addons.remove(addon_id, "Client changed her mind")

    assert view.addons == ()
    assert await balance(ctx, world.client_id, world.botox_id) == 10
    _bank, use, reversal = await entries(ctx)
    assert reversal.reverses_entry_id == use.id
    assert (reversal.amount, reversal.balance_after) == (10, 10)
    assert reversal.appointment_id == world.appointment_id
    assert "Client changed her mind" in reversal.description
    (row,) = await lines(ctx, world.appointment_id)
    assert row.removed_at is not None

    with pytest.raises(Conflict):
        await Desk(ctx).addons.remove(addon_id, "again")
    with pytest.raises(AlreadyReversed):
        async with ctx.transaction() as session:
            await ledger.reverse(session, use.id, description="again", actor=ctx.actor)
    assert len(await entries(ctx)) == 3
    await assert_cache_matches_entries(ctx)


async def test_cancelling_returns_used_units_by_reversal(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 10, 5, expected_owned=10)],
        key=new_key(),
    )

    view = await Desk(ctx).appointments.cancel(world.appointment_id, "Client unwell")

    assert view.status == "cancelled"
    assert view.cancel_reason == "Client unwell"
    assert view.addons == ()
    assert await balance(ctx, world.client_id, world.botox_id) == 10
    _bank, use, reversal = await entries(ctx)
    assert reversal.reverses_entry_id == use.id and reversal.amount == 10
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).appointments.cancel(world.appointment_id, "twice")
    assert caught.value.field == "status"
    with pytest.raises(ValidationError):
        await Desk(ctx).addons.add_to_service(
            world.appointment_id,
            [AddonSelection(world.botox_id, 1, 0, expected_owned=10)],
            key=new_key(),
        )
    assert len(await entries(ctx)) == 3
    await assert_cache_matches_entries(ctx)


async def test_no_show_returns_used_units_by_reversal(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 4, 0, expected_owned=10)],
        key=new_key(),
    )
    view = await Desk(ctx).appointments.no_show(world.appointment_id)
    assert view.status == "no_show"
    assert await balance(ctx, world.client_id, world.botox_id) == 10
    assert [e.amount for e in await entries(ctx)] == [10, -4, 4]


# -- what the store and the product allow ----------------------------------------------


async def test_banking_off_hides_owned_units_and_refuses_use(ctx: ServiceContext) -> None:
    w = await build_world(ctx, banking=False, owned=10)
    picker = await Desk(ctx).addons.picker(w.appointment_id)
    assert not picker.banking_enabled
    assert picker.client_owns == ()
    (botox,) = picker.buy_new
    assert (botox.product_id, botox.owned) == (w.botox_id, 0)

    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.add_to_service(
            w.appointment_id, [AddonSelection(w.botox_id, 1, 0, expected_owned=0)], key=new_key()
        )
    assert caught.value.field == "use"
    assert "off" in str(caught.value)
    with pytest.raises(ValidationError, match="off"):
        await Desk(ctx).addons.buy_more(w.appointment_id, w.botox_id, 5)

    result = await Desk(ctx).addons.add_to_service(
        w.appointment_id, [AddonSelection(w.botox_id, 0, 15, expected_owned=0)], key=new_key()
    )
    assert result.owned_after == {w.botox_id: 0}
    assert await balance(ctx, w.client_id, w.botox_id) == 10


async def test_untracked_product_is_only_bought_new(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    cream = await make_product(ctx, name="Numbing cream", unit_name="tube", usage_tracking=False)
    await make_product(ctx, name="Shampoo", addon_eligible=False)
    picker = await Desk(ctx).addons.picker(world.appointment_id)
    assert [p.name for p in picker.client_owns] == ["Botox"]
    assert [(p.name, p.usage_tracking, p.owned) for p in picker.buy_new] == [
        ("Numbing cream", False, 0)
    ]

    with pytest.raises(ValidationError, match="usage-tracked"):
        await Desk(ctx).addons.add_to_service(
            world.appointment_id, [AddonSelection(cream.id, 1, 0, expected_owned=0)], key=new_key()
        )
    with pytest.raises(ValidationError, match="usage-tracked"):
        await Desk(ctx).addons.buy_more(world.appointment_id, cream.id, 2)

    result = await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [
            AddonSelection(world.botox_id, 10, 5, expected_owned=10),
            AddonSelection(cream.id, 0, 1, expected_owned=0),
        ],
        key=new_key(),
    )
    assert {(a.product_name, a.use_units, a.buy_units) for a in result.appointment.addons} == {
        ("Botox", 10, 5),
        ("Numbing cream", 0, 1),
    }
    assert result.owned_after == {world.botox_id: 0, cream.id: 0}


async def test_non_addon_product_is_refused(ctx: ServiceContext, world: World) -> None:
    shampoo = await make_product(ctx, name="Shampoo", addon_eligible=False)
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.add_to_service(
            world.appointment_id,
            [AddonSelection(shampoo.id, 0, 1, expected_owned=0)],
            key=new_key(),
        )
    assert caught.value.field == "product_id"
    with pytest.raises(NotFound):
        await Desk(ctx).addons.add_to_service(
            world.appointment_id, [AddonSelection(999_999, 0, 1, expected_owned=0)], key=new_key()
        )


@pytest.mark.parametrize(
    ("selections", "field"),
    [
        ([], "selections"),
        ([AddonSelection(0, 0, 0, 10)], "use"),
        ([AddonSelection(0, -1, 2, 10)], "use"),
        ([AddonSelection(0, 1, -2, 10)], "buy"),
        ([AddonSelection(0, 1, 0, 10), AddonSelection(0, 0, 1, 10)], "selections"),
    ],
)
async def test_malformed_selections_are_refused_before_anything_is_written(
    ctx: ServiceContext, world: World, selections: list[AddonSelection], field: str
) -> None:
    fixed = [AddonSelection(world.botox_id, s.use, s.buy, s.expected_owned) for s in selections]
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.add_to_service(world.appointment_id, fixed, key=new_key())
    assert caught.value.field == field
    assert await lines(ctx, world.appointment_id) == []


# -- Buy more ---------------------------------------------------------------------------


async def test_buy_more_stores_bank_units_for_checkout(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.staff_id)  # the injector
    await Desk(ctx).addons.buy_more(world.appointment_id, world.botox_id, 20)
    await Desk(ctx).addons.buy_more(world.appointment_id, world.botox_id, 5)

    picker = await Desk(ctx).addons.picker(world.appointment_id)
    (line,) = picker.current
    assert (line.use_units, line.buy_units, line.bank_units) == (0, 0, 25)
    # Banking happens when the ticket is paid, not now.
    assert await balance(ctx, world.client_id, world.botox_id) == 10
    assert len(await entries(ctx)) == 1

    # Using units later edits that line and keeps what is being bought to bank.
    await Desk(ctx).addons.add_to_service(
        world.appointment_id,
        [AddonSelection(world.botox_id, 10, 5, expected_owned=10)],
        key=new_key(),
    )
    (line,) = (await Desk(ctx).addons.picker(world.appointment_id)).current
    assert (line.use_units, line.buy_units, line.bank_units) == (10, 5, 25)

    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).addons.buy_more(world.appointment_id, world.botox_id, 0)
    assert caught.value.field == "units"
