"""Idempotent money writes (issue 15, item 4), on SQLite and PostgreSQL.

Every money write takes a key made when its modal opens. The same key with the same
request returns the first result (replayed) and writes nothing; the same key with another
request, or for another operation, is refused with `KeyReused` and writes nothing; two
terminals submitting one key at the same moment write once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import event, func, select, text

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Payment, Ticket, WriteKey
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import KeyReused, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.write_keys import claim_key
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.clinic import build_clinic
from tests.services.world import World, assert_ledger_consistent, build_world, ledger_rows

D = Decimal

# One write, two ways to ask it: `variant` 0 and 1 differ in what they would write.
# `target` is what `SETUP` made for it (an entry to reverse, a prepaid account).
Write = Callable[[Desk, World, int, str, int], Awaitable[BaseModel]]


async def _credit(desk: Desk, w: World, _: int, key: str, variant: int) -> BaseModel:
    return await desk.balances.issue_account_credit(w.client, D(10 + variant), "Goodwill", key=key)


async def _charge(desk: Desk, w: World, _: int, key: str, variant: int) -> BaseModel:
    reason = ("Broken mirror", "Missed appointment")[variant]
    return await desk.balances.charge_account(w.client, D(25), reason, key=key)


async def _pay(desk: Desk, w: World, _: int, key: str, variant: int) -> BaseModel:
    return await desk.balances.pay_balance(w.client, D(30), "card" if variant else "cash", key=key)


async def _wallet(desk: Desk, w: World, _: int, key: str, variant: int) -> BaseModel:
    return await desk.balances.adjust_wallet(w.client, D(40 - variant), "Top-up", key=key)


async def _reverse(desk: Desk, _: World, entry_id: int, key: str, variant: int) -> BaseModel:
    reason = ("Entered twice", "Wrong client")[variant]
    return await desk.balances.reverse_entry(entry_id, reason, key=key)


async def _prepaid(desk: Desk, _: World, account_id: int, key: str, variant: int) -> BaseModel:
    return await desk.prepaid.adjust(account_id, 6 + variant, "Paper card", key=key)


async def _goodwill_entry(desk: Desk, w: World) -> int:
    change = await desk.balances.adjust_wallet(w.client, D(15), "Goodwill", key=new_key())
    return change.entry.id


async def _five_massages(desk: Desk, w: World) -> int:
    await desk.till.complete(
        CheckoutInput(
            idempotency_key=new_key(),
            client_id=w.client,
            lines=(LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5),),
            tenders=(TenderInput(method="cash", amount=D("400.00")),),
        )
    )
    (item,) = await desk.prepaid.items(w.client)
    return item.account_id


async def _nothing(desk: Desk, w: World) -> int:
    return 0


WRITES: dict[str, tuple[Callable[[Desk, World], Awaitable[int]], Write]] = {
    "credit": (_nothing, _credit),
    "charge": (_nothing, _charge),
    "pay": (_nothing, _pay),
    "wallet": (_nothing, _wallet),
    "reverse": (_goodwill_entry, _reverse),
    "prepaid": (_five_massages, _prepaid),
}


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def manager(ctx: ServiceContext, w: World) -> Desk:
    """Allowed every one of these writes (reversals need a manager)."""
    return Desk(ctx.as_staff(w.manager))


async def key_rows(ctx: ServiceContext) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(WriteKey)) or 0)


@pytest.mark.parametrize("name", list(WRITES))
async def test_same_key_twice_writes_once_and_replays(
    ctx: ServiceContext, world: World, name: str
) -> None:
    desk, (setup, write) = manager(ctx, world), WRITES[name]
    target = await setup(desk, world)
    key = new_key()
    before = await ledger_rows(ctx)
    first = await write(desk, world, target, key, 0)
    after = await ledger_rows(ctx)
    assert after == before + 1
    again = await write(desk, world, target, key, 0)
    assert await ledger_rows(ctx) == after
    assert first.model_dump()["replayed"] is False and again.model_dump()["replayed"] is True
    assert again.model_copy(update={"replayed": False}) == first
    await assert_ledger_consistent(ctx)


@pytest.mark.parametrize("name", list(WRITES))
async def test_same_key_another_request_is_refused_and_writes_nothing(
    ctx: ServiceContext, world: World, name: str
) -> None:
    desk, (setup, write) = manager(ctx, world), WRITES[name]
    target = await setup(desk, world)
    key = new_key()
    await write(desk, world, target, key, 0)
    before = (await ledger_rows(ctx), await key_rows(ctx))
    with pytest.raises(KeyReused, match="already used for a different change; nothing was saved"):
        await write(desk, world, target, key, 1)
    assert (await ledger_rows(ctx), await key_rows(ctx)) == before


async def test_a_key_is_one_operation(ctx: ServiceContext, world: World) -> None:
    desk = manager(ctx, world)
    key = new_key()
    await desk.balances.issue_account_credit(world.client, D(10), "Goodwill", key=key)
    before = await ledger_rows(ctx)
    with pytest.raises(KeyReused):  # same client, amount and words: still not a credit
        await desk.balances.charge_account(world.client, D(10), "Goodwill", key=key)
    with pytest.raises(KeyReused):
        await desk.balances.adjust_wallet(world.client, D(10), "Goodwill", key=key)
    assert await ledger_rows(ctx) == before


async def test_the_same_amount_written_differently_is_the_same_request(
    ctx: ServiceContext, world: World
) -> None:
    desk = manager(ctx, world)
    key = new_key()
    first = await desk.balances.adjust_wallet(world.client, D("12.5"), "Top-up", key=key)
    again = await desk.balances.adjust_wallet(world.client, D("12.50"), "Top-up", key=key)
    assert again.replayed and again.entry.id == first.entry.id


async def test_a_refused_write_leaves_its_key_free(ctx: ServiceContext, world: World) -> None:
    """Nothing written, nothing claimed: the modal's retry after fixing the field writes."""
    desk = manager(ctx, world)
    key = new_key()
    with pytest.raises(ValidationError):
        await desk.balances.issue_account_credit(world.client, D(10), "   ", key=key)
    assert await key_rows(ctx) == 0
    change = await desk.balances.issue_account_credit(world.client, D(10), "Goodwill", key=key)
    assert not change.replayed and change.balance_after == D("10.00")


@pytest.mark.parametrize("key", ["", "x" * 65, "tab\there", "naïve"])
async def test_a_key_must_be_short_printable_ascii(
    ctx: ServiceContext, world: World, key: str
) -> None:
    with pytest.raises(ValidationError) as err:
        await manager(ctx, world).balances.issue_account_credit(
            world.client, D(10), "Goodwill", key=key
        )
    assert err.value.field == "key"
    assert await ledger_rows(ctx) == 0


async def test_add_to_service_same_key_replays_and_another_selection_is_refused(
    ctx: ServiceContext,
) -> None:
    clinic = await build_clinic(ctx)
    desk = Desk(ctx.as_staff(clinic.staff_id))
    key = new_key()
    use_4 = [AddonSelection(clinic.botox_id, use=4, buy=0, expected_owned=10)]
    first = await desk.addons.add_to_service(clinic.appointment_id, use_4, key=key)
    rows = await ledger_rows(ctx)
    # A stale picker's count is not part of the request: still the same add-on.
    stale = [AddonSelection(clinic.botox_id, use=4, buy=0, expected_owned=9)]
    again = await desk.addons.add_to_service(clinic.appointment_id, stale, key=key)
    assert again.replayed and again.owned_after == first.owned_after == {clinic.botox_id: 6}
    use_5 = [AddonSelection(clinic.botox_id, use=5, buy=0, expected_owned=10)]
    with pytest.raises(KeyReused):
        await desk.addons.add_to_service(clinic.appointment_id, use_5, key=key)
    assert await ledger_rows(ctx) == rows


# -- checkout: the key on its ticket -----------------------------------------------------


def facial(w: World, key: str, cash: str = "100.00") -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=w.facial),),
        tenders=(TenderInput(method="cash", amount=D(cash)),),
    )


async def test_checkout_key_reused_for_another_order_is_refused(
    ctx: ServiceContext, world: World
) -> None:
    """The bug: a key reused for a different order silently returned the first ticket."""
    desk = Desk(ctx.as_staff(world.desk))
    first = await desk.till.complete(facial(world, "ticket-7"))
    rows = await ledger_rows(ctx)
    other_lines = facial(world, "ticket-7").model_copy(
        update={"lines": (LineInput(kind=LineKind.SERVICE, service_id=world.massage),)}
    )
    with pytest.raises(KeyReused):
        await desk.till.complete(other_lines)
    with pytest.raises(KeyReused):  # other tenders: another order too
        await desk.till.complete(facial(world, "ticket-7", cash="90.00"))
    again = await desk.till.complete(facial(world, "ticket-7"))
    assert again.replayed and again.ticket_id == first.ticket_id
    assert await ledger_rows(ctx) == rows
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Ticket)) == 1
        assert await s.scalar(select(func.count()).select_from(Payment)) == 1


async def test_a_ticket_from_before_hashes_still_replays(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.desk))
    first = await desk.till.complete(facial(world, "old-ticket"))
    async with ctx.transaction() as s:
        await s.execute(text("UPDATE tickets SET payload_hash = NULL"))
    again = await desk.till.complete(facial(world, "old-ticket"))
    assert again.replayed and again.ticket_id == first.ticket_id


# -- two terminals, one key --------------------------------------------------------------


async def test_one_key_from_two_terminals_at_once_writes_once(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    terminals = [
        ServiceContext.create(create_engine(db_url), terminal=f"desk-{i}", staff_id=world.desk)
        for i in (1, 2)
    ]
    key = new_key()
    try:
        results = await asyncio.gather(
            *(
                Desk(t).balances.adjust_wallet(world.client, D(20), "Top-up", key=key)
                for t in terminals
                for _ in range(3)
            )
        )
    finally:
        for t in terminals:
            await t.dispose()
    assert sum(not r.replayed for r in results) == 1
    assert len({r.entry.id for r in results}) == 1
    assert await ledger_rows(ctx) == 1
    assert (await Desk(ctx).clients.summary(world.client)).wallet_balance == D("20.00")
    await assert_ledger_consistent(ctx)


async def test_one_key_two_requests_at_once_one_writes_one_is_refused(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    terminals = [
        ServiceContext.create(create_engine(db_url), terminal=f"desk-{i}", staff_id=world.desk)
        for i in (1, 2)
    ]
    key = new_key()
    try:
        results = await asyncio.gather(
            *(
                Desk(t).balances.adjust_wallet(world.client, D(amount), "Top-up", key=key)
                for t, amount in zip(terminals, (20, 30), strict=True)
            ),
            return_exceptions=True,
        )
    finally:
        for t in terminals:
            await t.dispose()
    assert sorted(type(r).__name__ for r in results) == ["BalanceChange", "KeyReused"]
    assert await ledger_rows(ctx) == 1


async def test_a_duplicate_waits_for_the_first_and_writes_if_it_rolls_back(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    """PostgreSQL: the second submit waits on the key's unique index while the first is
    open; the first fails (rolled back), so the second's own claim goes through."""
    if not ctx.is_postgres:
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE: nobody waits on a key")
    other = ServiceContext.create(create_engine(db_url), terminal="desk-2", staff_id=world.desk)
    key = new_key()
    try:
        async with other.transaction() as session:
            await claim_key(session, other.actor, key, "balances.wallet")  # held open
            second = asyncio.create_task(
                Desk(ctx.as_staff(world.desk)).balances.adjust_wallet(
                    world.client, D(20), "Top-up", key=key
                )
            )
            await _until_a_backend_waits_on_a_lock(ctx)
            assert not second.done()
            await session.rollback()
        change = await second
    finally:
        await other.dispose()
    assert not change.replayed and change.balance_after == D("20.00")
    assert await ledger_rows(ctx) == 1 and await key_rows(ctx) == 1


async def _until_a_backend_waits_on_a_lock(ctx: ServiceContext) -> None:
    for _ in range(500):
        async with ctx.read() as s:
            waiting = await s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the duplicate never waited on the key")


async def test_a_key_costs_one_insert_and_one_update_a_replay_two_reads(
    ctx: ServiceContext, world: World
) -> None:
    """Statements are a budget: the claim rides the write's own transaction."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split()[0].upper())

    key = new_key()
    first = await Desk(ctx.as_staff(world.desk)).balances.adjust_wallet(
        world.client, D(5), "Top-up", key=key
    )
    for expected in (["INSERT", "UPDATE"], ["INSERT", "SELECT"]):
        statements.clear()
        async with ctx.as_staff(world.desk).transaction() as session:
            event.listen(ctx.engine.sync_engine, "after_cursor_execute", seen)
            try:
                claim = await claim_key(
                    session,
                    ctx.actor,
                    new_key() if expected[1] == "UPDATE" else key,
                    "balances.wallet",
                    client_id=world.client,
                    delta=D(5),
                    description="Top-up",
                )
                if claim.first_json is None:
                    await claim.done(session, first)
            finally:
                event.remove(ctx.engine.sync_engine, "after_cursor_execute", seen)
        assert statements == expected
