"""Banked units' history (issue 14, item 3): each product's entries said in words —
bought on a ticket, banked, used on which appointment, returned, adjusted, reversed —
with the balance after and who; paged in the database; and unit use in Activity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import Reason
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, TenderInput
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, build_world

VISIT = dt.datetime(2026, 3, 2, 10, 0)
SECOND_VISIT = dt.datetime(2026, 3, 9, 14, 30)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def botox_visit(ctx: ServiceContext, w: World, starts_at: dt.datetime) -> int:
    appt = await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.botox_service,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=starts_at,
    )
    return appt.id


async def a_year_of_botox(ctx: ServiceContext, w: World) -> int:
    """Banked 10; used 10 on a visit that also bought 20 to bank at checkout; 5 used on a
    second visit and given back when the line came off; counted 2 short (an adjustment),
    which was then reversed. Returns the first visit's ticket id."""
    desk = Desk(ctx.as_staff(w.desk))
    await bank_units(
        ctx.as_staff(w.desk),
        client_id=w.client,
        product_id=w.botox,
        units=10,
        description="Opening balance",
    )
    first = await botox_visit(ctx, w, VISIT)
    await desk.addons.add_to_service(
        first, [AddonSelection(w.botox, 10, 0, expected_owned=10)], key=new_key()
    )
    await desk.addons.buy_more(first, w.botox, 20)
    result = await desk.till.complete(
        CheckoutInput(
            idempotency_key="first-visit",
            client_id=w.client,
            appointment_id=first,
            tenders=(TenderInput(method="card", amount=D("430.00")),),
        )
    )
    second = await botox_visit(ctx, w, SECOND_VISIT)
    added = await desk.addons.add_to_service(
        second, [AddonSelection(w.botox, 5, 0, expected_owned=20)], key=new_key()
    )
    (line,) = added.appointment.addons
    await desk.addons.remove(line.id, "Client changed her mind")
    adjust = await bank_units(
        ctx.as_staff(w.desk),
        client_id=w.client,
        product_id=w.botox,
        units=-2,
        reason=Reason.ADJUST,
        description="Stock count: 2 missing",
    )
    await Desk(ctx.as_staff(w.manager)).balances.reverse_entry(
        adjust.id, "Found them", key=new_key()
    )
    return result.ticket_id


async def test_each_entry_says_what_happened_with_the_balance_after_and_who(
    ctx: ServiceContext, world: World
) -> None:
    ticket_id = await a_year_of_botox(ctx, world)
    desk = Desk(ctx.as_staff(world.desk))
    page = await desk.profile.unit_history(world.client, world.botox)
    assert (page.product_name, page.unit_name, page.units, page.total) == ("Botox", "unit", 20, 7)
    shown = [(e.event, e.text, int(e.amount), int(e.balance_after)) for e in reversed(page.entries)]
    assert shown == [
        ("banked", "Banked: Opening balance", 10, 10),
        ("used", "Used on Botox, 02 Mar 2026 10:00", -10, 0),
        ("bought", f"Bought on ticket #{ticket_id}", 20, 20),
        ("used", "Used on Botox, 09 Mar 2026 14:30 — since returned", -5, 15),
        ("returned", "Returned from Botox, 09 Mar 2026 14:30", 5, 20),
        ("adjusted", "Adjusted: Stock count: 2 missing — since reversed", -2, 18),
        ("reversed", "Reversed: Found them", 2, 20),
    ]
    assert {e.staff_name for e in page.entries} == {"Dee Desk", "Max Manager"}
    assert page.entries[0].staff_name == "Max Manager"  # the reversal


async def test_pages_newest_first_in_the_database(ctx: ServiceContext, world: World) -> None:
    await a_year_of_botox(ctx, world)
    desk = Desk(ctx.as_staff(world.desk))
    whole = await desk.profile.unit_history(world.client, world.botox)
    pages = [
        await desk.profile.unit_history(world.client, world.botox, offset=o, limit=3)
        for o in (0, 3, 6)
    ]
    assert [len(p.entries) for p in pages] == [3, 3, 1]
    assert {p.total for p in pages} == {7}
    assert [e.id for p in pages for e in p.entries] == [e.id for e in whole.entries]
    ids = [e.id for e in whole.entries]
    assert ids == sorted(ids, reverse=True)
    with pytest.raises(ValidationError):
        await desk.profile.unit_history(world.client, world.botox, limit=0)


async def test_products_listed_even_at_zero_and_none_without_an_account(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    desk = Desk(ctx)
    assert await desk.profile.banked_products(world.client) == ()
    empty = await desk.profile.unit_history(world.client, world.botox)
    assert (empty.total, empty.entries, empty.units) == (0, (), 0)
    await bank_units(ctx, client_id=world.client, product_id=world.botox, units=3)
    await bank_units(
        ctx, client_id=world.client, product_id=world.botox, units=-3, reason=Reason.ADJUST
    )
    (botox,) = await desk.profile.banked_products(world.client)
    assert (botox.product_name, botox.units, botox.entries) == ("Botox", 0, 2)
    assert await desk.profile.banked_products(world.other_client) == ()
    with pytest.raises(NotFound):
        await desk.profile.unit_history(world.client, 999_999)


async def test_activity_lists_unit_use_naming_the_appointment_and_units_left(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    await bank_units(ctx, client_id=world.client, product_id=world.botox, units=10)
    desk = Desk(ctx)
    visit = await botox_visit(ctx, world, VISIT)
    await desk.addons.add_to_service(
        visit, [AddonSelection(world.botox, 4, 0, expected_owned=10)], key=new_key()
    )
    page = await desk.profile.activity(world.client)
    used = [i for i in page.items if i.title == "Used: Botox"]
    assert len(used) == 1
    (use,) = used
    assert use.detail == "Used on Botox, 02 Mar 2026 10:00 · 6 left"
    assert (use.amount, use.is_money, use.staff_name) == (D(-4), False, "Dee Desk")
