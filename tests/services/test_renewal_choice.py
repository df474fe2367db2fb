"""The Select choice (issue 16, item 4): a paid Select cycle waits for the client's choice
(notified "Choose your monthly benefit"); the treatment gives one prepaid visit of the
included treatment, the cash its cash alternative into the Beauty Bank; never both,
once, also when two terminals choose at the same moment; no choice by the next cycle's
start expires and gives nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from frontdesk.db.tables import LedgerEntry
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.payment_gateway import FakeGateway
from frontdesk.views.renewals import BenefitChosen
from tests.money import TEST_MONEY
from tests.services.renewals_helpers import balance, cycles, member, notes, wallet
from tests.services.world import World, assert_ledger_consistent, build_world, day

NEXT_CYCLE = day(0).replace(month=12)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    w = await build_world(ctx)
    await member(ctx, w.client, w.plan_select)
    report = await Desk(ctx.as_staff(w.manager)).renewals.run(day(0), FakeGateway())
    assert (report.renewed, report.pending_choices, report.credited) == (1, 1, TEST_MONEY.zero)
    return w


def desk(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.desk))


async def test_a_select_renewal_leaves_a_choice_pending_and_asks(
    ctx: ServiceContext, world: World
) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    assert (pending.plan_name, pending.cycle_start, pending.choose_by) == (
        "Glow Select",
        day(0),
        NEXT_CYCLE,
    )
    assert (pending.treatment_name, pending.treatment_value, pending.cash) == (
        "Signature Facial",
        TEST_MONEY.from_minor(9000),
        TEST_MONEY.from_minor(4000),
    )
    texts = [t for _c, _ch, t in await notes(ctx)]
    assert len(texts) == 2 and all(t.startswith("Choose your monthly benefit") for t in texts)
    assert await wallet(ctx, world.client) == 0


async def test_cash_goes_into_the_beauty_bank_once(ctx: ServiceContext, world: World) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    key = new_key()
    chosen = await desk(ctx, world).renewals.choose(pending.cycle_id, "cash", key=key, on=day(1))
    assert (chosen.choice, chosen.cash, chosen.replayed) == (
        "cash",
        TEST_MONEY.from_minor(4000),
        False,
    )
    again = await desk(ctx, world).renewals.choose(pending.cycle_id, "cash", key=key, on=day(1))
    assert again.replayed  # the same submit twice: written once
    with pytest.raises(ValidationError, match="already chosen: the cash"):
        await desk(ctx, world).renewals.choose(
            pending.cycle_id, "treatment", key=new_key(), on=day(1)
        )
    assert await wallet(ctx, world.client) == 4000
    assert await balance(ctx, world.client, StoredValueKind.PREPAID_VISITS) == 0
    assert await desk(ctx, world).renewals.pending(world.client, day(1)) == ()
    async with ctx.read() as s:
        descriptions = list(await s.scalars(select(LedgerEntry.description)))
    assert descriptions == ["Monthly Membership Credit"]
    await assert_ledger_consistent(ctx)


async def test_treatment_gives_one_prepaid_visit(ctx: ServiceContext, world: World) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    chosen = await desk(ctx, world).renewals.choose(
        pending.cycle_id, "treatment", key=new_key(), on=day(1)
    )
    assert str(chosen) == "One Signature Facial visit added"
    (item,) = await desk(ctx, world).prepaid.items(world.client)
    assert (item.service_id, item.remaining) == (world.facial, 1)
    assert await wallet(ctx, world.client) == 0
    (cycle,) = await cycles(ctx)
    assert cycle.benefit == "treatment" and cycle.benefit_entry_id is not None
    await assert_ledger_consistent(ctx)


async def test_two_terminals_choosing_at_once_give_one_benefit(
    ctx: ServiceContext, world: World
) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    results = await asyncio.gather(
        desk(ctx, world).renewals.choose(pending.cycle_id, "cash", key=new_key(), on=day(1)),
        Desk(ctx.as_staff(world.manager)).renewals.choose(
            pending.cycle_id, "treatment", key=new_key(), on=day(1)
        ),
        return_exceptions=True,
    )
    made = [r for r in results if isinstance(r, BenefitChosen)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refused)) == (1, 1), results
    visits = await balance(ctx, world.client, StoredValueKind.PREPAID_VISITS)
    assert (await wallet(ctx, world.client), visits) in ((4000, 0), (0, 1))


async def test_no_choice_by_the_next_cycle_expires_and_gives_nothing(
    ctx: ServiceContext, world: World
) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    with pytest.raises(ValidationError, match="lapsed"):
        await desk(ctx, world).renewals.choose(
            pending.cycle_id, "cash", key=new_key(), on=NEXT_CYCLE
        )
    assert await desk(ctx, world).renewals.pending(world.client, NEXT_CYCLE) == ()
    gateway = FakeGateway()
    report = await Desk(ctx.as_staff(world.manager)).renewals.run(NEXT_CYCLE, gateway)
    assert (report.expired, report.renewed, report.pending_choices) == (1, 1, 1)
    first, second = await cycles(ctx)
    assert (first.benefit, second.benefit) == ("expired", "pending")
    with pytest.raises(ValidationError, match="lapsed"):
        await desk(ctx, world).renewals.choose(first.id, "cash", key=new_key(), on=day(1))
    assert await wallet(ctx, world.client) == 0
    assert await balance(ctx, world.client, StoredValueKind.PREPAID_VISITS) == 0


async def test_a_bad_choice_or_a_practitioner_is_refused(ctx: ServiceContext, world: World) -> None:
    (pending,) = await desk(ctx, world).renewals.pending(world.client, day(1))
    with pytest.raises(ValidationError):
        await desk(ctx, world).renewals.choose(
            pending.cycle_id,
            "both",  # type: ignore[arg-type]
            key=new_key(),
            on=day(1),
        )
    with pytest.raises(PermissionDenied):
        await Desk(ctx.as_staff(world.therapist)).renewals.choose(
            pending.cycle_id, "cash", key=new_key(), on=day(1)
        )
    assert await wallet(ctx, world.client) == 0
