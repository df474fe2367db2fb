"""A renewal the run could not charge is taken at the desk: the till's Add list offers
each active membership whose cycle has started and is not paid (past due when the card
was declined), and completing it pays that cycle by the run's own rule. On SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.payment_gateway import FakeGateway
from frontdesk.views.till import CheckoutInput, SellItem, SellKind, TenderInput
from screens.ticket_lines import TicketLines, item_label
from tests.money import TEST_MONEY
from tests.services.renewals_helpers import cycles, member, wallet
from tests.services.world import World, build_world, day


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def renewals_offered(desk: Desk, client: int) -> list[SellItem]:
    catalog = await desk.till.sell_catalog(client)
    return [i for i in catalog.items if i.kind is SellKind.RENEWAL]


async def test_a_past_due_renewal_is_offered_and_paid_at_the_till(
    ctx: ServiceContext, world: World
) -> None:
    m = await member(ctx, world.client, world.plan_auto)
    await member(
        ctx, world.other_client, world.plan_auto, due=dt.date.today() + dt.timedelta(days=30)
    )
    desk = Desk(ctx.as_staff(world.manager))
    await desk.renewals.run(day(0), FakeGateway(decline_clients={world.client}))
    assert (await desk.memberships.list(world.client))[0].past_due

    (item,) = await renewals_offered(desk, world.client)
    assert (item.id, item.due, item.past_due, item.price) == (
        m,
        day(0),
        True,
        TEST_MONEY.from_minor(7900),
    )
    assert "renewal past due since 23 Nov 2026" in item_label(item, TEST_MONEY.format)
    assert await renewals_offered(desk, world.other_client) == []  # not due yet

    # The ticket screen's lines, as the Add list builds them, sent to checkout.
    lines = TicketLines().add_item(item, staff_id=None)
    front = Desk(ctx.as_staff(world.desk))
    paid = await front.till.complete(
        CheckoutInput(
            idempotency_key=new_key(),
            client_id=world.client,
            lines=lines.added,
            tenders=(TenderInput(method="card", amount=TEST_MONEY.from_minor(7900)),),
        )
    )
    (cycle,) = await cycles(ctx)
    assert (cycle.status, cycle.benefit, cycle.ticket_id) == ("paid", "credited", paid.ticket_id)
    assert await wallet(ctx, world.client) == 5000
    assert not (await desk.memberships.list(world.client))[0].past_due
    assert not (await desk.profile.header(world.client, None)).past_due
    assert await renewals_offered(desk, world.client) == []  # paid: no longer offered
