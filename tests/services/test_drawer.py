"""The cash drawer (docs/rules.md#cash-drawer, D1-D5) on SQLite and PostgreSQL: what it
should hold, line by line; the close's difference and note; a closed day takes no cash
until a manager reopens it; nothing written on bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from frontdesk.db.tables import CashDrawer, CashDrawerEvent, Location, Payment, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.drawer import DrawerState
from frontdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import amount
from tests.services.world import World, build_world

CLOSED = "The cash drawer on test-desk is closed for today — a manager can reopen it"


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def sale(
    w: World, *, method: str = "cash", tendered: str = "90.00", location: int | None = None
) -> CheckoutInput:
    """A Signature Facial (90.00) paid with one tender, at the world's location."""
    return CheckoutInput(
        idempotency_key=new_key(),
        client_id=w.client,
        location_id=w.location if location is None else location,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=w.facial),),
        tenders=(TenderInput(method=method, amount=amount(tendered)),),
    )


async def written(ctx: ServiceContext) -> tuple[int, int, int]:
    async with ctx.read() as s:
        return (
            int(await s.scalar(select(func.count()).select_from(CashDrawerEvent)) or 0),
            int(await s.scalar(select(func.count()).select_from(Payment)) or 0),
            int(await s.scalar(select(func.count()).select_from(Ticket)) or 0),
        )


async def test_expected_is_float_plus_cash_kept_plus_cash_in_less_paid_out(
    ctx: ServiceContext, world: World
) -> None:
    w = world
    desk = Desk(ctx.as_staff(w.desk))
    opened = await desk.drawer.open(w.location, amount("100.00"), key=new_key())
    assert opened.state == DrawerState.OPEN.value
    assert opened.float_amount == amount("100.00")
    assert opened.expected == amount("100.00")

    # 100.00 cash for a 90.00 facial: 10.00 change goes back, 90.00 is kept.
    await desk.till.complete(sale(w, tendered="100.00"))
    # A cash sale refunded on this terminal: in and out again.
    refunded = await desk.till.complete(sale(w))
    await Desk(ctx.as_staff(w.manager)).till.reverse(refunded.ticket_id, "Wrong client")
    # Card, another terminal's cash, and cash at another location stay out of this drawer.
    await desk.till.complete(sale(w, method="card"))
    other_terminal = Desk(ServiceContext.create(ctx.engine, terminal="till-2", staff_id=w.desk))
    await other_terminal.till.complete(sale(w))
    async with ctx.transaction() as s:
        annex = Location(name="Annex", address="")
        s.add(annex)
        await s.flush()
        annex_id = annex.id
    await desk.till.complete(sale(w, location=annex_id))

    after_in = await desk.drawer.cash_in(
        w.location, amount("20.00"), "Change from the bank", key=new_key()
    )
    assert after_in.cash_in == amount("20.00")
    view = await desk.drawer.paid_out(w.location, amount("12.50"), "Window cleaner", key=new_key())

    assert view.float_amount == amount("100.00")
    assert view.cash_tenders == amount("90.00")  # 90 kept + 90 − 90 refunded
    assert view.cash_in == amount("20.00")
    assert view.paid_out == amount("12.50")
    assert view.expected == amount("197.50")
    assert [e.kind for e in view.events] == ["open", "cash_in", "paid_out"]
    assert view.events[1].note == "Change from the bank"
    assert view.events[2].staff_name == "Dee Desk"
    # The annex's drawer on this terminal counts only the annex's sale.
    assert (await desk.drawer.today(annex_id)).cash_tenders == amount("90.00")


async def test_close_records_the_difference_and_needs_a_note_when_it_is_not_zero(
    ctx: ServiceContext, world: World
) -> None:
    w = world
    desk = Desk(ctx.as_staff(w.desk))
    await desk.drawer.open(w.location, amount("50.00"), key=new_key())
    await desk.till.complete(sale(w))
    before = await written(ctx)
    with pytest.raises(ValidationError) as no_note:
        await desk.drawer.close(w.location, amount("137.50"), "  ", key=new_key())
    assert no_note.value.field == "note"
    assert await written(ctx) == before

    closed = await desk.drawer.close(w.location, amount("137.50"), "Short: tip jar", key=new_key())
    assert closed.state == DrawerState.CLOSED.value
    assert closed.expected == amount("140.00")
    assert closed.counted == amount("137.50")
    assert closed.difference == amount("-2.50")
    assert closed.close_note == "Short: tip jar"
    async with ctx.read() as s:
        event = (
            await s.execute(select(CashDrawerEvent).where(CashDrawerEvent.kind == "close"))
        ).scalar_one()
    cur = closed.currency
    assert (event.staff_id, event.terminal) == (w.desk, "test-desk")
    assert from_minor(event.amount_minor, cur) == amount("137.50")
    assert event.expected_minor is not None and event.difference_minor is not None
    assert from_minor(event.expected_minor, cur) == amount("140.00")
    assert from_minor(event.difference_minor, cur) == amount("-2.50")


async def test_a_close_that_balances_needs_no_note(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.drawer.open(world.location, amount("0"), key=new_key())
    closed = await desk.drawer.close(world.location, amount("0"), "", key=new_key())
    assert closed.difference == 0
    assert closed.close_note == ""


async def test_a_closed_day_refuses_cash_until_a_manager_reopens_it(
    ctx: ServiceContext, world: World
) -> None:
    w = world
    desk = Desk(ctx.as_staff(w.desk))
    await desk.drawer.open(w.location, amount("100.00"), key=new_key())
    await desk.drawer.close(w.location, amount("100.00"), "", key=new_key())

    before = await written(ctx)
    with pytest.raises(ValidationError) as refused:
        await desk.till.complete(sale(w))
    assert refused.value.field == "tenders"
    assert str(refused.value) == CLOSED
    assert await written(ctx) == before
    # Card still works; so does cash on another terminal (its own drawer).
    await desk.till.complete(sale(w, method="card"))
    other = Desk(ServiceContext.create(ctx.engine, terminal="till-2", staff_id=w.desk))
    await other.till.complete(sale(w))
    # Nor does the closed drawer take cash in or pay out.
    with pytest.raises(ValidationError, match="closed for today"):
        await desk.drawer.cash_in(w.location, amount("5"), "Float top-up", key=new_key())

    with pytest.raises(PermissionDenied) as denied:
        await desk.drawer.reopen(w.location, "Late client", key=new_key())
    assert denied.value.permission == "reopen the cash drawer"
    reopened = await Desk(ctx.as_staff(w.manager)).drawer.reopen(
        w.location, "Late client", key=new_key()
    )
    assert reopened.state == DrawerState.OPEN.value
    await desk.till.complete(sale(w))
    view = await desk.drawer.close(w.location, amount("190.00"), "", key=new_key())
    assert view.expected == amount("190.00")
    assert [e.kind for e in view.events] == ["open", "close", "reopen", "close"]


async def test_a_closed_day_refuses_a_pay_balance_in_cash_too(
    ctx: ServiceContext, world: World
) -> None:
    """Pay Balance has no ticket and no location: cash for it counts in this terminal's
    drawer, so a closed drawer refuses it at its method; card still pays."""
    w = world
    desk = Desk(ctx.as_staff(w.desk))
    await desk.balances.charge_account(w.client, amount("20"), "Damage", key=new_key())
    await desk.drawer.open(w.location, amount("100.00"), key=new_key())
    await desk.drawer.close(w.location, amount("100.00"), "", key=new_key())
    before = await written(ctx)
    with pytest.raises(ValidationError) as refused:
        await desk.balances.pay_balance(w.client, amount("20"), "cash", key=new_key())
    assert (refused.value.field, str(refused.value)) == ("method", CLOSED)
    assert await written(ctx) == before
    paid = await desk.balances.pay_balance(w.client, amount("20"), "card", key=new_key())
    assert paid.balance_after == amount("0")
    # Another terminal's drawer is its own: cash there is taken.
    other = Desk(ServiceContext.create(ctx.engine, terminal="till-2", staff_id=w.desk))
    await other.balances.pay_balance(w.client, amount("5"), "cash", key=new_key())


async def test_no_drawer_opened_today_still_takes_cash(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.till.complete(sale(world))
    view = await desk.drawer.today(world.location)
    assert view.state == DrawerState.NOT_OPENED.value
    assert view.cash_tenders == amount("90.00")
    assert view.expected == amount("90.00")


async def test_the_same_terminal_closing_twice_or_opening_twice_is_refused(
    ctx: ServiceContext, world: World
) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    with pytest.raises(ValidationError, match="Open the cash drawer on test-desk first"):
        await desk.drawer.close(world.location, amount("0"), "", key=new_key())
    await desk.drawer.open(world.location, amount("10"), key=new_key())
    with pytest.raises(ValidationError, match="already open"):
        await desk.drawer.open(world.location, amount("10"), key=new_key())
    await desk.drawer.close(world.location, amount("10"), "", key=new_key())
    before = await written(ctx)
    with pytest.raises(ValidationError) as twice:
        await desk.drawer.close(world.location, amount("10"), "", key=new_key())
    assert str(twice.value) == CLOSED
    assert await written(ctx) == before


async def test_only_a_closed_drawer_is_reopened(ctx: ServiceContext, world: World) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    await manager.drawer.open(world.location, amount("10"), key=new_key())
    with pytest.raises(ValidationError, match="not closed"):
        await manager.drawer.reopen(world.location, "Why not", key=new_key())


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ("open-negative", "float"),
        ("open-decimals", "float"),
        ("cash-in-zero", "amount"),
        ("cash-in-no-reason", "reason"),
        ("paid-out-control", "reason"),
        ("paid-out-long", "reason"),
    ],
)
async def test_bad_input_is_refused_at_its_field_and_nothing_is_written(
    ctx: ServiceContext, world: World, call: str, field: str
) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    if call.startswith(("cash", "paid")):
        await desk.drawer.open(world.location, amount("10"), key=new_key())
    before = await written(ctx)
    loc = world.location
    with pytest.raises(ValidationError) as bad:
        if call == "open-negative":
            await desk.drawer.open(loc, Decimal("-1"), key=new_key())
        elif call == "open-decimals":
            await desk.drawer.open(loc, Decimal("1.0001"), key=new_key())
        elif call == "cash-in-zero":
            await desk.drawer.cash_in(loc, Decimal(0), "Top-up", key=new_key())
        elif call == "cash-in-no-reason":
            await desk.drawer.cash_in(loc, amount("5"), " ", key=new_key())
        elif call == "paid-out-control":
            await desk.drawer.paid_out(loc, amount("5"), "Milk\x1b[2J", key=new_key())
        else:
            await desk.drawer.paid_out(loc, amount("5"), "x" * 201, key=new_key())
    assert bad.value.field == field
    assert await written(ctx) == before


async def test_an_unknown_location_and_a_resent_key(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    with pytest.raises(NotFound):
        await desk.drawer.today(world.location + 1000)
    key = new_key()
    first = await desk.drawer.open(world.location, amount("10"), key=key)
    again = await desk.drawer.open(world.location, amount("10"), key=key)
    assert again.replayed and not first.replayed
    assert again.events == first.events
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(CashDrawer)) == 1


async def test_drawer_events_are_append_only(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.drawer.open(world.location, amount("10"), key=new_key())
    for statement in (
        "UPDATE cash_drawer_events SET amount_minor = 0",
        "DELETE FROM cash_drawer_events",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with ctx.engine.begin() as conn:
                await conn.execute(text(statement))
