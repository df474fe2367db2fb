"""Runs in a child process: one simulated terminal doing random desk work until its time
is up (issue 15, item 9).

Each terminal has its own engine, as a real one would, and picks at random among: Beauty
Bank credit and spend, account credit, charge and Pay Balance, reversing one of its own
entries, selling and using prepaid visits, and a checkout that spends Beauty Bank. It
reports what it did: every entry id and ticket it was told were saved (the parent checks
each is in the books exactly once), domain refusals by type, and anything else as an
error, with its first line, by type.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier

from pydantic import BaseModel, ConfigDict, Field

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import DomainError, Unavailable, first_line
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput

D = Decimal
START_TIMEOUT = 90.0  # for the slowest terminal to import and connect
OP_TIMEOUT = 60.0  # one operation, however contended; longer is counted as an error


class Plan(BaseModel):
    """What one terminal is given: where, as whom, on which clients, for how long."""

    model_config = ConfigDict(frozen=True)
    url: str
    tag: str
    seed: int
    seconds: float
    staff_id: int
    therapist: int
    clients: tuple[int, ...]
    facial: int  # £90 service, part paid from Beauty Bank
    massage: int  # £80 service, sold and used as prepaid visits
    # Reverse any terminal's entries too, not only its own: terminals race to reverse one
    # entry (issue 15, item 3: "already reversed" under the row lock).
    shared_reversals: bool = False


class Report(BaseModel):
    """What one terminal did and saw."""

    tag: str
    operations: int = 0
    saved: int = 0
    entries: list[int] = Field(default_factory=list)  # every entry it was told was saved
    tickets: dict[str, int] = Field(default_factory=dict)  # key -> ticket it was given
    refused: dict[str, int] = Field(default_factory=dict)  # domain refusals by type
    errors: dict[str, int] = Field(default_factory=dict)  # anything else: "Type: first line"
    by_op: dict[str, int] = Field(default_factory=dict)


def terminal(plan_json: str, start: Barrier, pipe: Connection) -> None:
    report = asyncio.run(_terminal(Plan.model_validate_json(plan_json), start))
    pipe.send(report.model_dump_json())


async def _terminal(plan: Plan, start: Barrier) -> Report:
    desk = Desk.open(plan.url, terminal=f"soak-{plan.tag}", staff_id=plan.staff_id)
    await desk.catalog.store()  # connected, as a terminal open at the desk would be
    # Every terminal starts its clock together, once all have started up.
    await asyncio.to_thread(start.wait, START_TIMEOUT)
    work = _Work(desk, plan)
    report = Report(tag=plan.tag)
    refused: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    by_op: Counter[str] = Counter()
    deadline = time.monotonic() + plan.seconds
    try:
        while time.monotonic() < deadline:
            name, op = work.pick()
            report.operations += 1
            by_op[name] += 1
            try:
                await asyncio.wait_for(op(), OP_TIMEOUT)
                report.saved += 1
            except Unavailable as exc:  # a fault, not a rule: named apart from refusals
                refused[f"{type(exc).__name__} (fault)"] += 1
            except DomainError as exc:
                refused[type(exc).__name__] += 1
            except Exception as exc:  # counted, never hidden: the parent asserts none
                errors[f"{type(exc).__name__}: {first_line(exc, 120)}"] += 1
    finally:
        await desk.close()
    report.entries = work.entries
    report.tickets = work.tickets
    report.refused, report.errors, report.by_op = dict(refused), dict(errors), dict(by_op)
    return report


class _Work:
    """The desk work one terminal can do; each op records what it was told was saved."""

    def __init__(self, desk: Desk, plan: Plan) -> None:
        self.desk = desk
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.entries: list[int] = []
        self.reversible: list[int] = []  # its own non-reversal entries, not yet reversed
        self.tickets: dict[str, int] = {}
        self.ops: dict[str, Callable[[], Awaitable[None]]] = {
            "wallet credit": self.wallet_credit,
            "wallet spend": self.wallet_spend,
            "account credit": self.account_credit,
            "account charge": self.account_charge,
            "pay balance": self.pay_balance,
            "reversal": self.reversal,
            "prepaid sale": self.prepaid_sale,
            "prepaid use": self.prepaid_use,
            "checkout with Beauty Bank": self.checkout_with_wallet,
        }
        self.weights = [4, 6, 2, 2, 2, 3, 1, 3, 3]
        self.client = plan.clients[0]
        self.count = 0

    def pick(self) -> tuple[str, Callable[[], Awaitable[None]]]:
        self.client = self.rng.choice(self.plan.clients)
        self.count += 1
        name = self.rng.choices(list(self.ops), self.weights)[0]
        return name, self.ops[name]

    def money(self, low: int, high: int) -> Decimal:
        return D(self.rng.randint(low * 100, high * 100)) / 100

    def saved(self, entry_id: int, *, reversible: bool = True) -> None:
        self.entries.append(entry_id)
        if reversible:
            self.reversible.append(entry_id)

    async def wallet_credit(self) -> None:
        change = await self.desk.balances.adjust_wallet(
            self.client,
            self.money(1, 30),
            f"Soak credit {self.plan.tag}-{self.count}",
            key=new_key(),
        )
        self.saved(change.entry.id)

    async def wallet_spend(self) -> None:
        change = await self.desk.balances.adjust_wallet(
            self.client,
            -self.money(1, 25),
            f"Soak spend {self.plan.tag}-{self.count}",
            key=new_key(),
        )
        self.saved(change.entry.id)

    async def account_credit(self) -> None:
        change = await self.desk.balances.issue_account_credit(
            self.client,
            self.money(1, 40),
            f"Soak account credit {self.plan.tag}-{self.count}",
            key=new_key(),
        )
        self.saved(change.entry.id)

    async def account_charge(self) -> None:
        change = await self.desk.balances.charge_account(
            self.client,
            self.money(1, 40),
            f"Soak account charge {self.plan.tag}-{self.count}",
            key=new_key(),
        )
        self.saved(change.entry.id)

    async def pay_balance(self) -> None:
        change = await self.desk.balances.pay_balance(
            self.client, self.money(1, 40), "card", key=new_key()
        )
        self.saved(change.entry.id)

    async def reversal(self) -> None:
        if self.plan.shared_reversals and self.rng.random() < 0.5:
            entry_id = await self.someone_elses_entry()
        elif self.reversible:
            entry_id = self.reversible.pop(self.rng.randrange(len(self.reversible)))
        else:
            entry_id = None
        if entry_id is None:
            await self.wallet_credit()  # nothing to undo yet
            return
        entry = await self.desk.balances.reverse_entry(entry_id, "Soak reversal", key=new_key())
        self.saved(entry.id, reversible=False)

    async def someone_elses_entry(self) -> int | None:
        """A recent entry of the client's that a soak terminal's balance op made."""
        page = await self.desk.balances.history(self.client, limit=20)
        mine = [
            e.id
            for e in page.entries
            if e.description.startswith("Soak ") and e.reverses_entry_id is None
        ]
        return self.rng.choice(mine) if mine else None

    def key(self) -> str:
        return f"soak-{self.plan.tag}-{self.count}"

    async def checkout(self, data: CheckoutInput) -> None:
        result = await self.desk.till.complete(data)
        self.tickets[data.idempotency_key] = result.ticket_id

    async def prepaid_sale(self) -> None:
        visits = self.rng.randint(1, 4)
        line = LineInput(
            kind=LineKind.PREPAID_SALE, service_id=self.plan.massage, quantity=visits, qty_used=0
        )
        tender = TenderInput(method="card", amount=D(80 * visits))
        await self.checkout(
            CheckoutInput(
                idempotency_key=self.key(),
                client_id=self.client,
                lines=(line,),
                tenders=(tender,),
            )
        )

    async def prepaid_use(self) -> None:
        line = LineInput(
            kind=LineKind.PREPAID_REDEEM, service_id=self.plan.massage, staff_id=self.plan.therapist
        )
        await self.checkout(
            CheckoutInput(idempotency_key=self.key(), client_id=self.client, lines=(line,))
        )

    async def checkout_with_wallet(self) -> None:
        wallet = self.money(1, 20)
        line = LineInput(
            kind=LineKind.SERVICE, service_id=self.plan.facial, staff_id=self.plan.therapist
        )
        await self.checkout(
            CheckoutInput(
                idempotency_key=self.key(),
                client_id=self.client,
                lines=(line,),
                use_wallet=True,
                wallet_amount=wallet,
                tenders=(TenderInput(method="card", amount=D(90) - wallet),),
            )
        )
