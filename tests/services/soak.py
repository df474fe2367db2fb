"""The soak (issue 15, item 9): N terminals, each its own process and engine, doing random
desk work on a few clients for some seconds; then the books are audited.

`run_soak` stocks the clients, starts the terminals (`soak_worker.terminal`), waits for
their reports under a watchdog that kills any terminal still running after its time plus
a grace, and counts:

- operations: what the terminals tried; saved, refused (domain errors, by type), errors
  (anything else, by type: a failure);
- lost: an entry or ticket a terminal was told was saved but the books do not have, or
  an invariant broken (cached balance ≠ Σ entries, balance_after ≠ previous + amount in
  id order, the hash chain not whole);
- double-spent: an entry reversed twice, a balance below zero where none may be (Beauty
  Bank, units, visits), a key with two tickets, or an entry no terminal was told about.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from frontdesk.db.tables import LedgerEntry, StoredValueAccount, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services import soak_worker
from tests.services.factories import make_client
from tests.services.world import World, build_world

SPAWN = multiprocessing.get_context("spawn")
START_GRACE = 90.0  # a spawned terminal imports frontdesk first; a loaded machine is slow
NEVER_BELOW_ZERO = ("wallet_money", "product_units", "prepaid_visits")


class SoakCounts(BaseModel):
    terminals: int
    seconds: float
    operations: int = 0
    saved: int = 0
    lost: int = 0
    double_spent: int = 0
    refused: dict[str, int] = Field(default_factory=dict)
    errors: dict[str, int] = Field(default_factory=dict)
    by_op: dict[str, int] = Field(default_factory=dict)
    problems: list[str] = Field(default_factory=list)  # what each lost/double-spent was
    entries: int = 0
    tickets: int = 0

    def line(self) -> str:
        errors = sum(self.errors.values())
        refused = ", ".join(f"{k} {v}" for k, v in sorted(self.refused.items())) or "none"
        return (
            f"{self.terminals} terminals × {self.seconds:.0f} s: {self.operations} operations "
            f"({self.saved} saved; {self.entries} entries, {self.tickets} tickets in the books), "
            f"lost {self.lost}, double-spent {self.double_spent}, errors {errors} "
            f"{self.errors or ''}; refused: {refused}"
        )


async def stock(ctx: ServiceContext) -> tuple[World, list[int]]:
    """Three clients, each with Beauty Bank, an account and prepaid visits already opened
    (a first credit racing another is issue 15's item 3, tested on its own)."""
    w = await build_world(ctx)
    clients = [w.client, w.other_client, (await make_client(ctx, first_name="Sam")).id]
    desk = Desk(ctx.as_staff(w.manager))
    for n, client in enumerate(clients):
        await desk.balances.adjust_wallet(client, Decimal(200), "Soak float", key=new_key())
        await desk.balances.issue_account_credit(client, Decimal(50), "Soak float", key=new_key())
        await desk.till.complete(
            CheckoutInput(
                idempotency_key=f"soak-stock-{n}",
                client_id=client,
                lines=(
                    LineInput(
                        kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5, qty_used=0
                    ),
                ),
                tenders=(TenderInput(method="card", amount=Decimal(400)),),
            )
        )
    return w, clients


async def run_soak(
    ctx: ServiceContext,
    url: str,
    *,
    terminals: int,
    seconds: float,
    seed: int = 15,
    shared_reversals: bool = False,
) -> SoakCounts:
    w, clients = await stock(ctx)
    async with ctx.read() as s:
        before = int(await s.scalar(select(func.max(LedgerEntry.id))) or 0)
        tickets_before = set((await s.execute(select(Ticket.id))).scalars())
    plans = [
        soak_worker.Plan(
            url=url,
            tag=f"t{n}",
            seed=seed * 100 + n,
            seconds=seconds,
            staff_id=w.manager,
            therapist=w.therapist,
            clients=tuple(clients),
            facial=w.facial,
            massage=w.massage,
            shared_reversals=shared_reversals,
        )
        for n in range(terminals)
    ]
    reports = await asyncio.to_thread(_run_terminals, plans, seconds + START_GRACE)
    counts = SoakCounts(terminals=terminals, seconds=seconds)
    _tally(counts, reports)
    await audit(ctx, counts, reports, before, tickets_before)
    return counts


def _run_terminals(plans: list[soak_worker.Plan], limit: float) -> list[soak_worker.Report]:
    """Start every terminal, wait for each report until `limit` seconds from now, then
    kill whatever still runs (the watchdog: a stuck terminal fails the soak, never CI)."""
    pipes = [SPAWN.Pipe(duplex=False) for _ in plans]
    start = SPAWN.Barrier(len(plans))
    procs = [
        SPAWN.Process(target=soak_worker.terminal, args=(p.model_dump_json(), start, pipes[i][1]))
        for i, p in enumerate(plans)
    ]
    deadline = time.monotonic() + limit
    reports: list[soak_worker.Report] = []
    try:
        for p in procs:
            p.start()
        for plan, (ours, _), proc in zip(plans, pipes, procs, strict=True):
            if ours.poll(max(deadline - time.monotonic(), 0.1)):
                reports.append(soak_worker.Report.model_validate_json(ours.recv()))
            else:
                reports.append(
                    soak_worker.Report(
                        tag=plan.tag, errors={f"no report after {limit:.0f} s (killed)": 1}
                    )
                )
                proc.kill()
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
            p.join(30)
    return reports


def _tally(counts: SoakCounts, reports: list[soak_worker.Report]) -> None:
    refused: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    by_op: Counter[str] = Counter()
    for r in reports:
        counts.operations += r.operations
        counts.saved += r.saved
        refused.update(r.refused)
        errors.update(r.errors)
        by_op.update(r.by_op)
    counts.refused, counts.errors, counts.by_op = dict(refused), dict(errors), dict(by_op)


async def audit(
    ctx: ServiceContext,
    counts: SoakCounts,
    reports: list[soak_worker.Report],
    before: int,
    tickets_before: set[int],
) -> None:
    async with ctx.read() as s:
        accounts = (await s.execute(select(StoredValueAccount))).scalars().all()
        entries = (
            (await s.execute(select(LedgerEntry).order_by(LedgerEntry.account_id, LedgerEntry.id)))
            .scalars()
            .all()
        )
        tickets = (await s.execute(select(Ticket.id, Ticket.idempotency_key))).all()
    problems = counts.problems
    lost_before = len(problems)
    running: dict[int, int] = {}
    for e in entries:
        running[e.account_id] = running.get(e.account_id, 0) + e.amount
        if e.balance_after != running[e.account_id]:
            problems.append(f"lost: entry {e.id} balance_after {e.balance_after} ≠ running sum")
    kinds = {a.id: a.kind for a in accounts}
    for a in accounts:
        if a.balance != running.get(a.id, 0):
            problems.append(f"lost: account {a.id} balance {a.balance} ≠ Σ entries")
    chain = await verify_ledger(ctx)
    if not chain.whole or chain.entries != len(entries):
        problems.append(f"lost: hash chain {chain}")
    ids = {e.id for e in entries}
    by_key = {key: tid for tid, key in tickets}
    told = {i for r in reports for i in r.entries}
    told_tickets = {tid for r in reports for tid in r.tickets.values()}
    problems += [f"lost: entry {i} reported saved, not in the books" for i in told - ids]
    for r in reports:
        for key, tid in r.tickets.items():
            if by_key.get(key) != tid:
                problems.append(f"lost: ticket {tid} ({key}) reported saved, not in the books")
    counts.lost = len(problems) - lost_before
    _double_spent(counts, entries, accounts, kinds, before, told, told_tickets)
    counts.entries = len(entries)
    counts.tickets = len({tid for tid, _ in tickets} - tickets_before)


def _double_spent(
    counts: SoakCounts,
    entries: Sequence[LedgerEntry],
    accounts: Sequence[StoredValueAccount],
    kinds: dict[int, str],
    before: int,
    told: set[int],
    told_tickets: set[int],
) -> None:
    found: list[str] = []
    reversed_ = Counter(e.reverses_entry_id for e in entries if e.reverses_entry_id)
    found += [f"double-spent: entry {i} reversed {n} times" for i, n in reversed_.items() if n > 1]
    for a in accounts:
        if kinds[a.id] in NEVER_BELOW_ZERO and a.balance < 0:
            found.append(f"double-spent: {kinds[a.id]} account {a.id} at {a.balance}")
    for e in entries:
        if e.id > before and e.id not in told and e.ticket_id not in told_tickets:
            found.append(f"double-spent: entry {e.id} ({e.reason}) saved but no terminal was told")
    counts.double_spent = len(found)
    counts.problems += found
