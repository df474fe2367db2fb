"""Statements are a budget (issue 19): each hot use case sends at most so many statements.

Counted by `tests.statements` (what counts is written there): a new query in a hot path
fails here, deterministically, instead of slowing a benchmark nobody runs. Each case is
measured warm, as a desk meets it all day: the client's accounts already exist and the
engine's pool holds a connection. A budget is a ceiling, not a target; lower it when a
change makes the use case cheaper, and never raise it without saying why in the commit.

Where the count is the same on both engines it is one number; where it is not, the
test says why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.ledger import post
from frontdesk.db.tables import Staff, StaffPermission, StoredValueAccount, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import new_key
from frontdesk.services.checkout.pricing import read_catalog
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.staff import remember_who, who, who_columns
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.clinic import build_clinic
from tests.services.factories import make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world
from tests.statements import Seen, count_statements

D = Decimal

# The ceilings (statements proper: SELECT/INSERT/UPDATE/DELETE; see tests/statements.py).
# The posting itself: one locked read of the head, one INSERT (its trigger moves the
# balance, migration 0022).
LEDGER_POST = 2
# adjust_wallet: key claimed (1); the account locked with its head, the store and who
# acts, in one read (1); the entry (1); result kept (1).
POSTING = 4
# service + retail product + Beauty Bank + card: its write transaction, the same on both
# engines now that the ticket lines go in as one multi-row INSERT (frontdesk/db/bulk.py).
# The key claimed (1); the store, the services and products, and who takes the payment
# in one read (1); the accounts locked (1); entries, payments, lines, commissions (4)
# (the entries' trigger moves the balances); the ticket's totals and result (1).
CHECKOUT = 8
# The receipt it then writes to a file, its read transaction: the ticket with its client,
# location and staff names, the store and the ticket's last entry (or, a ticket that moved
# no stored value, the entry before it) (1), the tenders (1), the balances at it (1).
RECEIPT = 3
ADD_TO_SERVICE = 13  # the add-on picker's save: use from the bank, buy the rest
# header, permissions, balances, upcoming: what the profile asks for. The header's badges
# and what the client owes are one statement; no upcoming visit, no store read.
PROFILE_OPEN = 10
SCHEDULE_DAY = 4  # one location's day with its appointments


def one_transaction(seen: Seen) -> None:
    """A use case is one transaction: begun once, committed once, nothing rolled back."""
    assert (seen.kinds["BEGIN"], seen.kinds["COMMIT"], seen.kinds["ROLLBACK"]) == (1, 1, 0), (
        seen.report()
    )


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def test_a_ledger_posting_is_two_statements(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("50"), "Opening credit", key=new_key())
    async with ctx.transaction() as session:
        account = (
            await session.execute(
                StoredValueAccount.__table__.select().where(
                    StoredValueAccount.client_id == world.client,
                    StoredValueAccount.kind == StoredValueKind.WALLET_MONEY.value,
                )
            )
        ).one()
        with count_statements(ctx.engine) as seen:
            await post(
                session,
                account.id,
                -500,
                reason="adjust",
                description="Counted",
                actor=desk.ctx.actor,
            )
    assert seen.proper <= LEDGER_POST, seen.report()
    await assert_ledger_consistent(ctx)


async def test_adjust_wallet_statements(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("50"), "Opening credit", key=new_key())
    with count_statements(ctx.engine) as seen:
        change = await desk.balances.adjust_wallet(
            world.client, D("-12.50"), "Counted", key=new_key()
        )
    assert change.balance_after == D("37.50")
    print("posting", seen.report())
    one_transaction(seen)
    assert seen.proper <= POSTING, seen.report()
    await assert_ledger_consistent(ctx)


def ticket(world: World, key: str) -> CheckoutInput:
    """A typical ticket: a service, a retail product, the Beauty Bank, the rest on card."""
    return CheckoutInput(
        idempotency_key=key,
        client_id=world.client,
        location_id=world.location,
        lines=(
            LineInput(kind=LineKind.SERVICE, service_id=world.facial, staff_id=world.therapist),
            LineInput(kind=LineKind.PRODUCT, product_id=world.serum),
        ),
        use_wallet=True,
        wallet_amount=D("20"),
        tenders=(TenderInput(method="card", amount=D("115.00")),),
    )


async def test_checkout_statements(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("100"), "Goodwill", key=new_key())
    await desk.till.complete(ticket(world, new_key()))  # the client's accounts now exist
    with count_statements(ctx.engine) as seen:
        result = await desk.till.complete(ticket(world, new_key()))
    assert (result.wallet_applied, result.card) == (D("20.00"), D("115.00"))
    print("checkout", seen.report())
    # The checkout's own transaction, then the receipt file's read (`save_receipt`, after
    # the commit, so a crash between them still leaves the sale).
    assert (seen.kinds["BEGIN"], seen.kinds["COMMIT"], seen.kinds["ROLLBACK"]) == (2, 2, 0)
    checkout, receipt = seen.per_transaction
    assert checkout <= CHECKOUT, seen.report()
    assert receipt <= RECEIPT, seen.report()
    await assert_ledger_consistent(ctx)


async def test_add_to_service_statements(ctx: ServiceContext) -> None:
    clinic = await build_clinic(ctx, owned=10)
    desk = Desk(ctx.as_staff(clinic.staff_id))
    later = await make_appointment(
        ctx,
        client_id=clinic.client_id,
        service_id=clinic.service_id,
        staff_id=clinic.staff_id,
        location_id=clinic.location_id,
        starts_at=dt.datetime(2025, 11, 24, 10, 0),
    )
    await desk.addons.add_to_service(
        later.id, [AddonSelection(clinic.botox_id, use=2, buy=0, expected_owned=10)], key=new_key()
    )
    picker = await desk.addons.picker(clinic.appointment_id)
    with count_statements(ctx.engine) as seen:
        result = await desk.addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(clinic.botox_id, use=8, buy=7, expected_owned=8)],
            key=new_key(),
            expected_version=picker.version,
        )
    assert result.owned_after == {clinic.botox_id: 0}
    print("add to service", seen.report())
    one_transaction(seen)
    assert seen.proper <= ADD_TO_SERVICE, seen.report()
    await assert_ledger_consistent(ctx)


async def test_profile_open_statements(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("100"), "Goodwill", key=new_key())
    await desk.profile.header(world.client, world.location)  # warm the pool
    with count_statements(ctx.engine) as seen:
        header = await desk.profile.header(world.client, world.location)
        await desk.staff.mine()
        summary = await desk.clients.summary(world.client)
        await desk.profile.upcoming_appointments(world.client, dt.datetime.now(dt.UTC))
    assert header.client_id == world.client and summary.wallet_balance == D("100.00")
    print("profile open", seen.report())
    assert seen.kinds["BEGIN"] == 4, seen.report()  # one read transaction per call
    assert seen.proper <= PROFILE_OPEN, seen.report()


async def test_schedule_day_statements(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    day = dt.date(2025, 11, 23)
    for hour in (9, 11, 14):
        await make_appointment(
            ctx,
            client_id=world.client,
            service_id=world.facial,
            staff_id=world.therapist,
            location_id=world.location,
            starts_at=dt.datetime.combine(day, dt.time(hour)),
        )
    await desk.schedule.day(world.location, day)  # warm the pool
    with count_statements(ctx.engine) as seen:
        result = await desk.schedule.day(world.location, day)
    assert len(result.appointments) == 3
    print("schedule day", seen.report())
    assert seen.kinds["BEGIN"] == 1, seen.report()
    assert seen.proper <= SCHEDULE_DAY, seen.report()


# What the checkout's one catalogue read keeps: who takes the payment is read with it
# (`who_columns`), so the permission is checked there, and on a replay. Every role may
# take payments: nobody signed in and a member no longer active may not.


async def _tickets(ctx: ServiceContext) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(Ticket)) or 0)


async def _retired(ctx: ServiceContext, world: World) -> int:
    async with ctx.transaction() as s:
        gone = Staff(name="Ret Desk", role="front_desk", location_id=world.location, active=False)
        s.add(gone)
        await s.flush()
        return gone.id


async def test_a_checkout_by_someone_who_may_not_take_payments_writes_nothing(
    ctx: ServiceContext, world: World
) -> None:
    before = await _tickets(ctx)
    for staff_id in (await _retired(ctx, world), None):
        with pytest.raises(PermissionDenied):
            await Desk(ctx.as_staff(staff_id)).till.complete(ticket(world, new_key()))
    assert await _tickets(ctx) == before
    await assert_ledger_consistent(ctx)


async def test_a_replay_is_refused_to_someone_who_may_not_take_payments(
    ctx: ServiceContext, world: World
) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("100"), "Goodwill", key=new_key())
    data = ticket(world, new_key())
    await desk.till.complete(data)
    with pytest.raises(PermissionDenied):
        await Desk(ctx.as_staff(await _retired(ctx, world))).till.complete(data)
    assert (await desk.till.complete(data)).replayed


async def test_who_read_with_the_catalogue_is_who_read_alone(
    ctx: ServiceContext, world: World
) -> None:
    """Grants (by name, old name, or unknown) come through the joined column as `who`
    reads them; so does an active member without any, and a member not active."""
    async with ctx.transaction() as s:
        s.add(StaffPermission(staff_id=world.desk, permission="reverse_entries"))
        s.add(StaffPermission(staff_id=world.desk, permission="no such permission"))
        s.add(StaffPermission(staff_id=world.desk, permission=Perm.REPORTS.value))
    for staff_id in (world.desk, world.therapist, await _retired(ctx, world)):
        async with ctx.read() as s:
            alone = await who(s, staff_id)
        async with ctx.read() as s:
            found = await read_catalog(s, (), who_columns(s), {"staff_id": staff_id})
            name, role, grants = found
            remember_who(s, staff_id, name, role, grants)
            assert await who(s, staff_id) == alone
