"""Completing a ticket never charges twice (issue 12), on SQLite and PostgreSQL.

The ticket under test spends Beauty Bank, redeems a prepaid visit, uses banked units (and
banks three more) and takes the rest on card. It is completed twice in one process, by
two processes racing the same key, and by a child process SIGKILLed at many points inside
its transaction and then retried: each time the books show one ticket, one payment, one
set of ledger entries and commission rows, and balances moved exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import cast

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import (
    Appointment,
    Commission,
    LedgerEntry,
    Payment,
    StoredValueAccount,
    Ticket,
    TicketLine,
)
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, CheckoutResult, LineInput, TenderInput
from tests.services import complete_worker as worker
from tests.services.factories import bank_units, make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 90.0  # a spawned child imports frontdesk, then runs one checkout
RETRY_TIMEOUT = 30.0  # PostgreSQL must notice the killed connection and roll it back
ROUNDS = 48  # the most tickets one test completes: its stock of value is sized for these
KILL_POINTS = 6  # statements to stop at, spread over a checkout (all of them: env below)
EVERY_STATEMENT = "FRONTDESK_TEST_KILL_EVERY_STATEMENT"
MUST_STOP_AFTER = (
    "INSERT INTO tickets",  # the key claimed: a retry meets the uncommitted unique entry
    "INSERT INTO ledger_entries",  # the balances changed (its trigger, migration 0022)
    "INSERT INTO commissions",
)

# One ticket: Botox £250 with 2 units used from the bank (0.00) and 3 more bought to bank
# (£27), a prepaid massage redeemed (0.00); £20 of Beauty Bank, £257 on card.
USE, BANK_MORE = 2, 3
WALLET_EACH, CARD_EACH = D("20.00"), D("257.00")
LINES_EACH = 4  # service, units used, units to bank, visit redeemed
WALK_IN_LINES = 3  # the same with no appointment: service, units to bank, visit redeemed
ENTRIES_EACH = 3  # wallet spent, visit redeemed, units banked (the use was posted at pick)
COMMISSIONS_EACH = 2  # the Botox performed, the massage performed (single system)


@dataclass(frozen=True)
class Books:
    """Everything a checkout writes, counted, and the client's balances."""

    tickets: int
    lines: int
    payments: int
    paid_minor: int
    commissions: int
    entries: int
    wallet_minor: int
    visits: int
    units: int

    def after(self, tickets: int, lines_each: int = LINES_EACH) -> Books:
        """These books after `tickets` more of the ticket under test, each charged once."""
        return Books(
            tickets=self.tickets + tickets,
            lines=self.lines + lines_each * tickets,
            payments=self.payments + tickets,
            paid_minor=self.paid_minor + int(CARD_EACH * 100) * tickets,
            commissions=self.commissions + COMMISSIONS_EACH * tickets,
            entries=self.entries + ENTRIES_EACH * tickets,
            wallet_minor=self.wallet_minor - int(WALLET_EACH * 100) * tickets,
            visits=self.visits - tickets,
            units=self.units + BANK_MORE * tickets,
        )


async def books(ctx: ServiceContext, w: World) -> Books:
    async with ctx.read() as s:

        async def count(table: type) -> int:
            return int(await s.scalar(select(func.count()).select_from(table)) or 0)

        rows = await s.execute(
            select(StoredValueAccount.kind, func.sum(StoredValueAccount.balance))
            .where(StoredValueAccount.client_id == w.client)
            .group_by(StoredValueAccount.kind)
        )
        balances = {kind: int(total or 0) for kind, total in rows}
        return Books(
            tickets=await count(Ticket),
            lines=await count(TicketLine),
            payments=await count(Payment),
            paid_minor=int(await s.scalar(select(func.sum(Payment.amount_minor))) or 0),
            commissions=await count(Commission),
            entries=await count(LedgerEntry),
            wallet_minor=balances.get(StoredValueKind.WALLET_MONEY.value, 0),
            visits=balances.get(StoredValueKind.PREPAID_VISITS.value, 0),
            units=balances.get(StoredValueKind.PRODUCT_UNITS.value, 0),
        )


async def stocked_world(ctx: ServiceContext) -> World:
    """A client with Beauty Bank, prepaid massages and banked Botox for ROUNDS tickets."""
    w = await build_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: sells, banks and takes payments
    desk = Desk(ctx)
    await desk.balances.adjust_wallet(
        w.client, WALLET_EACH * ROUNDS, "Float for the test", key=new_key()
    )
    await desk.till.complete(
        CheckoutInput(
            idempotency_key="stock-visits",
            client_id=w.client,
            lines=(
                LineInput(
                    kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=ROUNDS, qty_used=0
                ),
            ),
            tenders=(TenderInput(method="card", amount=D(80 * ROUNDS)),),
        )
    )
    await bank_units(ctx, client_id=w.client, product_id=w.botox, units=USE * ROUNDS)
    return w


async def visit_ticket(ctx: ServiceContext, w: World, key: str, n: int) -> CheckoutInput:
    """A fresh Botox visit with its units picked, and the ticket that pays for it."""
    appt = await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.botox_service,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=dt.datetime(2026, 11, 2, 9) + dt.timedelta(hours=n),
    )
    owned = (await books(ctx, w)).units
    await Desk(ctx).addons.add_to_service(
        appt.id, [AddonSelection(w.botox, USE, 0, expected_owned=owned)], key=new_key()
    )
    await Desk(ctx).addons.buy_more(appt.id, w.botox, BANK_MORE)
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        appointment_id=appt.id,
        lines=(
            LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage, staff_id=w.therapist),
        ),
        use_wallet=True,
        wallet_amount=WALLET_EACH,
        tenders=(TenderInput(method="card", amount=CARD_EACH),),
    )


def walk_in_ticket(w: World, key: str) -> CheckoutInput:
    """The same charges with no appointment behind them: no visit turns completed, so
    nothing but the key stands between a second press and a second charge."""
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(
            LineInput(kind=LineKind.SERVICE, service_id=w.botox_service, staff_id=w.therapist),
            LineInput(kind=LineKind.BANKED_UNITS_PURCHASE, product_id=w.botox, quantity=BANK_MORE),
            LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage, staff_id=w.therapist),
        ),
        use_wallet=True,
        wallet_amount=WALLET_EACH,
        tenders=(TenderInput(method="card", amount=CARD_EACH),),
    )


async def double_ticket(ctx: ServiceContext, w: World, visit: str, key: str) -> CheckoutInput:
    return walk_in_ticket(w, key) if visit == "walk-in" else await visit_ticket(ctx, w, key, 0)


async def assert_charged_once(ctx: ServiceContext, data: CheckoutInput) -> None:
    """The key has one ticket with its own payment, entries and commissions; visit done."""
    async with ctx.read() as s:
        (ticket,) = (
            (await s.execute(select(Ticket).where(Ticket.idempotency_key == data.idempotency_key)))
            .scalars()
            .all()
        )
        payments = (
            await s.execute(
                select(Payment.method, Payment.amount_minor).where(Payment.ticket_id == ticket.id)
            )
        ).all()
        entries = (
            await s.execute(
                select(StoredValueAccount.kind, LedgerEntry.amount)
                .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
                .where(LedgerEntry.ticket_id == ticket.id)
                .order_by(StoredValueAccount.kind)
            )
        ).all()
        commissions = await s.scalar(
            select(func.count()).select_from(Commission).where(Commission.ticket_id == ticket.id)
        )
        status = await s.scalar(
            select(Appointment.status).where(Appointment.id == data.appointment_id)
        )
    assert [tuple(p) for p in payments] == [("card", int(CARD_EACH * 100))]
    assert [tuple(e) for e in entries] == [
        ("prepaid_visits", -1),
        ("product_units", BANK_MORE),
        ("wallet_money", -int(WALLET_EACH * 100)),
    ]
    assert commissions == COMMISSIONS_EACH
    assert status == ("completed" if data.appointment_id else None)


def same_result(a: CheckoutResult, b: CheckoutResult) -> bool:
    return a.model_copy(update={"replayed": False}) == b.model_copy(update={"replayed": False})


# --- 1. Double complete in one process ------------------------------------------------


VISITS = ["appointment", "walk-in"]


@pytest.mark.parametrize("visit", VISITS)
async def test_the_same_key_twice_in_a_row_charges_once(ctx: ServiceContext, visit: str) -> None:
    w = await stocked_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: takes payments
    data = await double_ticket(ctx, w, visit, "double-press")
    lines = WALK_IN_LINES if visit == "walk-in" else LINES_EACH
    before = await books(ctx, w)
    first = await Desk(ctx).till.complete(data)
    again = await Desk(ctx).till.complete(data)
    assert not first.replayed and again.replayed
    assert again.ticket_id == first.ticket_id and same_result(first, again)
    assert (first.wallet_applied, first.card) == (WALLET_EACH, CARD_EACH)
    assert await books(ctx, w) == before.after(1, lines)
    await assert_charged_once(ctx, data)
    await assert_ledger_consistent(ctx)


@pytest.mark.parametrize("visit", VISITS)
async def test_the_same_key_at_the_same_moment_in_one_process_charges_once(
    ctx: ServiceContext, visit: str
) -> None:
    w = await stocked_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: takes payments
    data = await double_ticket(ctx, w, visit, "double-tap")
    lines = WALK_IN_LINES if visit == "walk-in" else LINES_EACH
    before = await books(ctx, w)
    results = await asyncio.gather(*(Desk(ctx).till.complete(data) for _ in range(3)))
    assert len({r.ticket_id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True]
    assert all(same_result(results[0], r) for r in results)
    assert await books(ctx, w) == before.after(1, lines)
    await assert_charged_once(ctx, data)
    await assert_ledger_consistent(ctx)


# --- 2. Two processes racing the same key ---------------------------------------------

RACE_ROUNDS = 5


async def test_two_processes_racing_one_key_charge_once(db_url: str, ctx: ServiceContext) -> None:
    w = await stocked_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: takes payments
    tickets = [await visit_ticket(ctx, w, f"race-{n}", n) for n in range(RACE_ROUNDS)]
    before = await books(ctx, w)
    barrier = SPAWN.Barrier(2)
    rounds_json = [t.model_dump_json() for t in tickets]
    pipes = [SPAWN.Pipe(duplex=False) for _ in range(2)]
    procs = [
        SPAWN.Process(
            target=worker.race,
            args=(db_url, w.desk, rounds_json, barrier, f"p{i}", pipes[i][1]),
        )
        for i in range(2)
    ]
    with running(*procs):
        outcomes = [
            cast(list[str], await receive(pipe, f"race process {i}"))
            for i, (pipe, _) in enumerate(pipes)
        ]
    for n in range(RACE_ROUNDS):
        pair = sorted(str(o[n]) for o in outcomes)
        assert not any(o.startswith("error") for o in pair), pair  # no IntegrityError, no driver
        assert [o.split()[0] for o in pair] == ["first", "replayed"], pair
        assert pair[0].split()[1] == pair[1].split()[1], pair  # the loser got the same ticket
    assert await books(ctx, w) == before.after(RACE_ROUNDS)
    for t in tickets:
        await assert_charged_once(ctx, t)
    await assert_ledger_consistent(ctx)


# --- 3. A process killed during complete, then retried --------------------------------


async def test_a_checkout_killed_anywhere_in_its_transaction_then_retried_charges_once(
    db_url: str, ctx: ServiceContext
) -> None:
    w = await stocked_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: takes payments
    # The dry run: a child completes one ticket and counts the statements it took.
    dry = await visit_ticket(ctx, w, "dry-run", 0)
    before = await books(ctx, w)
    _, ran, _ = await run_child(db_url, w.desk, dry, worker.NEVER)
    statements = ran.splitlines()
    assert len(statements) > 10
    assert await books(ctx, w) == before.after(1)
    await assert_charged_once(ctx, dry)

    points = kill_points(statements)
    assert len(points) < ROUNDS
    slowest = 0.0
    for n, stop_at in enumerate(points, start=1):
        data = await visit_ticket(ctx, w, f"killed-{stop_at}", n)
        before = await books(ctx, w)
        _, where, _ = await run_child(db_url, w.desk, data, stop_at, kill=True)
        if stop_at == worker.AFTER_RETURN:  # committed: the retry must find it
            assert await books(ctx, w) == before.after(1), where
        else:
            assert await books(ctx, w) == before, f"partial writes after a kill {where}"
        started = time.perf_counter()
        retried = await retry(ctx, data, where)
        slowest = max(slowest, time.perf_counter() - started)
        assert retried.replayed == (stop_at == worker.AFTER_RETURN), where
        assert await books(ctx, w) == before.after(1), where
        await assert_charged_once(ctx, data)
    await assert_ledger_consistent(ctx)
    print(f"\n{len(statements)} statements; killed at {points}; slowest retry {slowest:.3f} s")


@pytest.mark.parametrize(
    "stop_at", ["INSERT INTO tickets", worker.AT_COMMIT], ids=["key-claimed", "at-commit"]
)
async def test_a_retry_waiting_on_a_stuck_checkout_goes_on_once_it_is_killed(
    db_url: str, ctx: ServiceContext, stop_at: int | str
) -> None:
    """Terminal A hangs inside complete holding the key; B retries and waits (SQLite: the
    write lock, PostgreSQL: the key's unique entry). A dies: B completes, charged once."""
    w = await stocked_world(ctx)
    ctx = ctx.as_staff(w.desk)  # front desk: takes payments
    data = await visit_ticket(ctx, w, "stuck", 0)
    before = await books(ctx, w)
    ours, theirs = SPAWN.Pipe()
    proc = SPAWN.Process(
        target=worker.crash, args=(db_url, w.desk, data.model_dump_json(), stop_at, theirs)
    )
    with running(proc):
        kind, where, _ = cast(tuple[str, str, int], await receive(ours, "the checkout child"))
        assert kind == "stopped", where
        waiting = asyncio.create_task(retry(ctx, data, where))
        done, _ = await asyncio.wait({waiting}, timeout=0.5)
        assert not done, "the retry finished while another checkout held its key"
        os.kill(proc.pid or 0, signal.SIGKILL)
        retried = await waiting
    assert not retried.replayed
    assert await books(ctx, w) == before.after(1)
    await assert_charged_once(ctx, data)
    await assert_ledger_consistent(ctx)


def kill_points(statements: list[str]) -> list[int]:
    """Where to stop: after the first statement, the key's claim, the first balance
    written, the first entry, the first commission, the last, and some between; then
    with the COMMIT about to be sent, and with the result about to be returned."""
    total = len(statements)
    if os.environ.get(EVERY_STATEMENT):
        chosen = set(range(1, total + 1))
    else:
        chosen = {1 + (total - 1) * k // (KILL_POINTS - 1) for k in range(KILL_POINTS)}
        for start in MUST_STOP_AFTER:
            found = [i for i, s in enumerate(statements, 1) if s.startswith(start)]
            assert found, f"the dry run never ran {start!r}: {statements}"
            chosen.add(found[0])
    return [*sorted(chosen), worker.AT_COMMIT, worker.AFTER_RETURN]


async def retry(ctx: ServiceContext, data: CheckoutInput, where: str) -> CheckoutResult:
    """The same key again; bounded, since a dead writer's locks must not wedge it."""
    try:
        return await asyncio.wait_for(Desk(ctx).till.complete(data), RETRY_TIMEOUT)
    except TimeoutError:
        pytest.fail(f"retry still waiting after {RETRY_TIMEOUT:.0f} s, killed {where}")


async def run_child(
    url: str, staff_id: int, data: CheckoutInput, stop_at: int | str, *, kill: bool = False
) -> tuple[str, str, int]:
    """Run `worker.crash` in a fresh process, as `staff_id`, until it stops (then SIGKILL
    it) or ends."""
    ours, theirs = SPAWN.Pipe()
    args = (url, staff_id, data.model_dump_json(), stop_at, theirs)
    proc = SPAWN.Process(target=worker.crash, args=args)
    with running(proc):
        message = await receive(ours, "the checkout child")
        kind, detail, statements = cast(tuple[str, str, int], message)
        if kill:
            assert kind == "stopped", f"{kind}: {detail} (meant to stop at {stop_at})"
            os.kill(proc.pid or 0, signal.SIGKILL)
            await asyncio.to_thread(proc.join, CHILD_TIMEOUT)
            assert proc.exitcode == -signal.SIGKILL
        else:
            assert kind == "done", f"{kind}: {detail}"
    return kind, detail, statements


async def receive(pipe: Connection, who: str) -> object:
    if not await asyncio.to_thread(pipe.poll, CHILD_TIMEOUT):
        pytest.fail(f"{who} said nothing for {CHILD_TIMEOUT:.0f} s")
    message: object = pipe.recv()
    return message


@contextmanager
def running(*procs: SpawnProcess) -> Iterator[None]:
    """Start the processes; whatever happens, none outlives the test."""
    for p in procs:
        p.start()
    try:
        yield
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
            p.join(CHILD_TIMEOUT)
