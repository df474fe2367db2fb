"""Tickets left open (issue 12, Build 6): parked, listed, resumed on another terminal,
completed once; a ticket another terminal holds is not completed. Both engines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import OpenTicket, Payment, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import Conflict, DomainError, NotFound
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import (
    make_appointment,
    make_client,
    make_location,
    make_product,
    make_service,
    make_staff,
    make_store,
)

D = Decimal
KEY = "park-0001"


@dataclass(frozen=True)
class Shop:
    location_id: int
    staff_id: int
    appointment_id: int
    ticket: CheckoutInput  # the visit (£50) and 2 tubes of cream (£5 each)


async def build_shop(ctx: ServiceContext) -> Shop:
    await make_store(ctx, business_name="Parkside")
    location = await make_location(ctx, name="High Street")
    staff = await make_staff(ctx, name="Tia", location_id=location.id)
    client = await make_client(ctx, first_name="Nia", last_name="Park")
    service = await make_service(ctx, name="Blow-dry", price_minor=5_000)
    cream = await make_product(
        ctx, name="Cream", unit_name="tube", unit_price_minor=500, usage_tracking=False
    )
    appt = await make_appointment(
        ctx,
        client_id=client.id,
        service_id=service.id,
        staff_id=staff.id,
        location_id=location.id,
    )
    ticket = CheckoutInput(
        idempotency_key=KEY,
        client_id=client.id,
        location_id=location.id,
        appointment_id=appt.id,
        lines=(LineInput(kind=LineKind.PRODUCT, product_id=cream.id, quantity=2),),
        use_account_credit=True,
    )
    return Shop(location.id, staff.id, appt.id, ticket)


def paid(ticket: CheckoutInput, card: Decimal) -> CheckoutInput:
    return ticket.model_copy(update={"tenders": (TenderInput(method="card", amount=card),)})


async def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    """(tickets, payments, open tickets)."""
    async with ctx.read() as session:
        return (
            int(await session.scalar(select(func.count()).select_from(Ticket)) or 0),
            int(await session.scalar(select(func.count()).select_from(Payment)) or 0),
            int(await session.scalar(select(func.count()).select_from(OpenTicket)) or 0),
        )


def second_desk(ctx: ServiceContext, terminal: str) -> Desk:
    """Another terminal on the same database, the same person signed in there (the engine
    is shared, the terminal is not)."""
    return Desk(ServiceContext.create(ctx.engine, terminal=terminal, staff_id=ctx.actor.staff_id))


async def test_park_then_resume_on_a_second_terminal_then_complete(ctx: ServiceContext) -> None:
    shop = await build_shop(ctx)
    ctx = ctx.as_staff(shop.staff_id)  # Tia, a stylist: takes payments
    front = Desk(ctx)
    parked = await front.till.park(shop.ticket)
    assert (parked.client_name, parked.summary) == ("Nia Park", "Blow-dry, 2 × Cream")
    assert (parked.parked_by, parked.parked_terminal, parked.held_by) == ("Tia", "test-desk", None)

    back = second_desk(ctx, "back-room")
    listed = await back.till.open_tickets(shop.location_id)
    assert [t.idempotency_key for t in listed] == [KEY]
    assert await back.till.open_tickets(shop.location_id + 1) == ()
    taken = await back.till.take(KEY)
    assert taken.held_by == "back-room" and not taken.held_elsewhere("back-room")
    assert taken.ticket == shop.ticket  # same key, same lines, same toggles
    assert (await front.till.open_tickets(None))[0].held_by == "back-room"

    result = await back.till.complete(paid(taken.ticket, D("60.00")))
    assert result.total == D("60.00") and not result.replayed
    assert await counts(ctx) == (1, 1, 0)  # the open row went with the completion
    assert await back.till.open_tickets(None) == ()
    with pytest.raises(NotFound):
        await front.till.take(KEY)


async def test_a_ticket_held_by_another_terminal_cannot_be_completed(ctx: ServiceContext) -> None:
    shop = await build_shop(ctx)
    ctx = ctx.as_staff(shop.staff_id)
    await Desk(ctx).till.park(shop.ticket)
    back = second_desk(ctx, "back-room")
    await back.till.take(KEY)

    front = Desk(ctx)
    seen = await front.till.take(KEY)  # opened read-only: nothing changes
    assert seen.held_by == "back-room" and seen.held_elsewhere("test-desk")
    with pytest.raises(Conflict, match="held by back-room"):
        await front.till.complete(paid(shop.ticket, D("60.00")))
    with pytest.raises(Conflict, match="held by back-room"):
        await front.till.park(shop.ticket)
    await front.till.release(KEY)  # not ours to release: still held
    assert (await front.till.open_tickets(None))[0].held_by == "back-room"
    assert await counts(ctx) == (0, 0, 1)

    await back.till.release(KEY)
    assert (await front.till.take(KEY)).held_by == "test-desk"
    await front.till.complete(paid(shop.ticket, D("60.00")))
    assert await counts(ctx) == (1, 1, 0)


async def test_a_parked_ticket_completed_twice_charges_once(ctx: ServiceContext) -> None:
    shop = await build_shop(ctx)
    desk = Desk(ctx.as_staff(shop.staff_id))
    await desk.till.park(shop.ticket)
    ticket = (await desk.till.take(KEY)).ticket
    first = await desk.till.complete(paid(ticket, D("60.00")))
    again = await desk.till.complete(paid(ticket, D("60.00")))
    assert again.replayed and again.ticket_id == first.ticket_id
    assert await counts(ctx) == (1, 1, 0)
    with pytest.raises(Conflict, match="already completed"):
        await desk.till.park(ticket)  # a completed key never becomes open again
    assert await counts(ctx) == (1, 1, 0)


async def test_parking_again_updates_the_ticket_and_frees_it(ctx: ServiceContext) -> None:
    shop = await build_shop(ctx)
    desk = Desk(ctx.as_staff(shop.staff_id))
    await desk.till.park(shop.ticket)
    await desk.till.take(KEY)
    fewer = shop.ticket.model_copy(update={"lines": (), "use_account_credit": False})
    again = await desk.till.park(fewer)
    assert (again.summary, again.held_by, again.ticket) == ("Blow-dry", None, fewer)
    assert await counts(ctx) == (0, 0, 1)


async def test_a_failed_complete_leaves_the_ticket_open(ctx: ServiceContext) -> None:
    shop = await build_shop(ctx)
    desk = Desk(ctx.as_staff(shop.staff_id))
    await desk.till.park(shop.ticket)
    await desk.till.take(KEY)
    with pytest.raises(DomainError):  # tenders short of the due
        await desk.till.complete(paid(shop.ticket, D("1.00")))
    assert await counts(ctx) == (0, 0, 1)
    assert (await desk.till.open_tickets(None))[0].held_by == "test-desk"
