"""Entries a ticket or an appointment owns are undone there, not from the Account tab
(issue 15, item 7), and a reversal is not reversed again.

Reversing an add-on's "use" entry by hand used to return the units while the add-on
stayed on the appointment, which then checked out at 0.00. Now `reverse_entry` refuses
it, saying where to undo it; the add-on's own removal and the ticket's refund (which
reverse their entries through `ledger.reverse`) still work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import NotReversible
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world, ledger_rows

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def test_an_add_on_use_is_undone_on_its_appointment(
    ctx: ServiceContext, world: World
) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    await bank_units(
        ctx.as_staff(world.desk), client_id=world.client, product_id=world.botox, units=20
    )
    appt = await make_appointment(
        ctx,
        client_id=world.client,
        service_id=world.botox_service,
        staff_id=world.therapist,
        location_id=world.location,
        starts_at=dt.datetime(2026, 4, 1, 10, 0),
    )
    added = await manager.addons.add_to_service(
        appt.id, [AddonSelection(world.botox, 5, 0, expected_owned=20)], key=new_key()
    )
    (line,) = added.appointment.addons
    page = await manager.profile.unit_history(world.client, world.botox)
    use = next(e for e in page.entries if e.amount < 0)
    before = await ledger_rows(ctx)
    with pytest.raises(NotReversible) as refused:
        await manager.balances.reverse_entry(use.id, "Not used after all", key=new_key())
    assert refused.value.undo_at == "appointment" and refused.value.owner_id == appt.id
    assert str(refused.value) == (
        f"Entry {use.id} belongs to appointment {appt.id} — remove the add-on there "
        "(or cancel the appointment)"
    )
    assert await ledger_rows(ctx) == before  # nothing written
    # Where it belongs, it is undone: the units come back and the add-on goes.
    view = await manager.addons.remove(line.id, "Not used after all")
    assert view.addons == ()
    (banked,) = (await manager.clients.summary(world.client)).banked
    assert banked.units == 20
    await assert_ledger_consistent(ctx)


async def test_a_ticket_entry_is_undone_by_its_refund(ctx: ServiceContext, world: World) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    await manager.balances.adjust_wallet(world.client, D("30"), "Float", key=new_key())
    sale = await manager.till.complete(
        CheckoutInput(
            idempotency_key="owned-1",
            client_id=world.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=2, qty_used=0
                ),
            ),
            use_wallet=True,
            wallet_amount=D("30"),
            tenders=(TenderInput(method="card", amount=D("130")),),
        )
    )
    page = await manager.balances.history(world.client)
    owned = [e for e in page.entries if e.ticket_id == sale.ticket_id]
    assert {e.kind for e in owned} == {
        StoredValueKind.WALLET_MONEY,
        StoredValueKind.PREPAID_VISITS,
    }
    before = await ledger_rows(ctx)
    for entry in owned:
        with pytest.raises(NotReversible, match=rf"ticket #{sale.ticket_id} — refund the ticket"):
            await manager.balances.reverse_entry(entry.id, "Wrong client", key=new_key())
    assert await ledger_rows(ctx) == before
    assert await manager.till.reverse(sale.ticket_id, "Wrong client") == 2
    summary = await manager.clients.summary(world.client)
    assert summary.wallet_balance == D("30") and not any(p.visits for p in summary.prepaid)
    await assert_ledger_consistent(ctx)


async def test_a_reversal_has_its_own_refusal(ctx: ServiceContext, world: World) -> None:
    manager = Desk(ctx.as_staff(world.manager))
    credit = await manager.balances.issue_account_credit(
        world.client, D("15"), "Goodwill", key=new_key()
    )
    reversal = await manager.balances.reverse_entry(credit.entry.id, "Typo", key=new_key())
    with pytest.raises(NotReversible) as refused:
        await manager.balances.reverse_entry(reversal.id, "Undo the undo", key=new_key())
    assert refused.value.undo_at == "reversal"
    assert str(refused.value) == (
        f"Entry {reversal.id} is itself a reversal; make a new adjustment instead"
    )
