"""Random sequences of everything that moves stored value, on SQLite.

After every step: each account's cached balance equals the sum of its entries,
balance_after runs, units and visits are never negative, the wallet is never negative
unless a permitted adjustment took it there, and every checkout balances
(paid + stored value used = total due). A model of the expected balances is checked
against the services' own summaries.

The model keeps its own entries (the ones its rules wrote, and the ones a checkout wrote,
learnt by id and kind once written) and computes what a reversal must do: undo the
reversed entry's amount on that account, or be refused (a reversal, an entry a ticket or
an appointment owns, an entry already reversed, or one that would take units, visits or
the Beauty Bank below zero) with nothing written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import select

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import (
    AlreadyReversed,
    DomainError,
    InsufficientBalance,
    NotFound,
    NotReversible,
    PermissionDenied,
    ValidationError,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world, ledger_rows

D = Decimal
_keys = itertools.count()
MONEY = (StoredValueKind.WALLET_MONEY, StoredValueKind.ACCOUNT_MONEY)


@dataclass
class ModelEntry:
    """One ledger entry as the model knows it; `amount` in pence, units or visits."""

    kind: StoredValueKind
    amount: int
    reverses: int | None = None
    reversed_by: int | None = None
    owned: bool = False  # a ticket's or an appointment's: undone there, not by hand


@cache
def template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="fd-sm-")) / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    return path


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.dir = Path(tempfile.mkdtemp(prefix="fd-sm-run-"))
        shutil.copyfile(template(), self.dir / "db.sqlite")
        self.ctx = ServiceContext.create(
            create_engine(f"sqlite+aiosqlite:///{self.dir / 'db.sqlite'}"), terminal="sm"
        )
        self.wallet = D("0.00")
        self.account = D("0.00")
        self.visits = 0
        self.units = 0
        self.wallet_may_be_negative = False
        self.entries: dict[int, ModelEntry] = {}
        self.seen = 0  # the newest entry id the model knows

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self.run(self.ctx.dispose())
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @initialize()
    def setup(self) -> None:
        self.w: World = self.run(build_world(self.ctx))
        self.desk = self.ctx.as_staff(self.w.desk)
        self.manager = self.ctx.as_staff(self.w.manager)

    def _settle_with_card(self, data: CheckoutInput) -> None:
        # A generous cash tender always settles whatever is left after stored value; the
        # change comes back, so the checkout must still balance exactly.
        generous = data.model_copy(
            update={"tenders": (TenderInput(method="cash", amount=D("100000.00")),)}
        )
        result = self.run(Desk(self.desk).till.complete(generous))
        assert result.paid_plus_stored == result.total
        self.wallet -= result.wallet_applied
        self.account -= result.account_credit_applied

    @rule(delta=st.integers(-80, 120).filter(lambda n: n != 0), manager=st.booleans())
    def adjust_wallet(self, delta: int, manager: bool) -> None:
        ctx = self.manager if manager else self.desk
        try:
            change = self.run(
                Desk(ctx).balances.adjust_wallet(
                    self.w.client, D(delta), "sm adjust", allow_negative=manager, key=new_key()
                )
            )
        except PermissionDenied as exc:  # front desk may not deduct below zero
            assert not manager and delta < 0 and self.wallet + delta < 0
            assert exc.permission == "deduct below zero"
            return
        if delta < 0 and self.wallet + delta < 0:
            assert manager
            self.wallet_may_be_negative = True
        self.wallet += delta
        self._wrote(change.entry.id, StoredValueKind.WALLET_MONEY, delta * 100)

    @rule(amount=st.integers(1, 200), kind=st.sampled_from(["credit", "charge", "pay"]))
    def account_balance(self, amount: int, kind: str) -> None:
        if kind == "credit":
            change = self.run(
                Desk(self.desk).balances.issue_account_credit(
                    self.w.client, D(amount), "sm", key=new_key()
                )
            )
            self.account += amount
        elif kind == "charge":
            change = self.run(
                Desk(self.desk).balances.charge_account(
                    self.w.client, D(amount), "sm", key=new_key()
                )
            )
            self.account -= amount
        else:
            change = self.run(
                Desk(self.desk).balances.pay_balance(
                    self.w.client, D(amount), "cash", key=new_key()
                )
            )
            self.account += amount
        sign = -1 if kind == "charge" else 1
        self._wrote(change.entry.id, StoredValueKind.ACCOUNT_MONEY, sign * amount * 100)

    @rule(qty=st.integers(1, 5), used=st.integers(0, 1))
    def sell_prepaid(self, qty: int, used: int) -> None:
        self._settle_with_card(
            CheckoutInput(
                idempotency_key=f"k{next(_keys)}",
                client_id=self.w.client,
                lines=(
                    LineInput(
                        kind=LineKind.PREPAID_SALE,
                        service_id=self.w.massage,
                        quantity=qty,
                        qty_used=used,
                    ),
                ),
            )
        )
        self.visits += qty - used

    @rule(qty=st.integers(1, 3))
    def redeem(self, qty: int) -> None:
        data = CheckoutInput(
            idempotency_key=f"k{next(_keys)}",
            client_id=self.w.client,
            lines=(
                LineInput(kind=LineKind.PREPAID_REDEEM, service_id=self.w.massage, quantity=qty),
            ),
        )
        try:
            result = self.run(Desk(self.desk).till.complete(data))
        except InsufficientBalance:
            assert qty > self.visits
            return
        assert result.total == 0 and qty <= self.visits
        self.visits -= qty

    @rule(units=st.integers(1, 30))
    def bank(self, units: int) -> None:
        self._settle_with_card(
            CheckoutInput(
                idempotency_key=f"k{next(_keys)}",
                client_id=self.w.client,
                lines=(
                    LineInput(
                        kind=LineKind.BANKED_UNITS_PURCHASE, product_id=self.w.botox, quantity=units
                    ),
                ),
            )
        )
        self.units += units

    @rule(use=st.integers(0, 25), buy=st.integers(0, 5))
    def use_units(self, use: int, buy: int) -> None:
        if use + buy == 0:
            return
        appt = self.run(
            make_appointment(
                self.ctx,
                client_id=self.w.client,
                service_id=self.w.botox_service,
                staff_id=self.w.therapist,
                location_id=self.w.location,
                starts_at=dt.datetime(2026, 1, 1) + dt.timedelta(hours=next(_keys)),
            )
        )
        try:
            self.run(
                Desk(self.desk).addons.add_to_service(
                    appt.id,
                    [AddonSelection(self.w.botox, use, buy, expected_owned=self.units)],
                    key=new_key(),
                )
            )
        except DomainError:
            assert use > self.units
            return
        self.units -= use

    @rule(wallet=st.booleans(), credit=st.booleans())
    def checkout_service(self, wallet: bool, credit: bool) -> None:
        self._settle_with_card(
            CheckoutInput(
                idempotency_key=f"k{next(_keys)}",
                client_id=self.w.client,
                lines=(LineInput(kind=LineKind.SERVICE, service_id=self.w.facial),),
                use_wallet=wallet,
                use_account_credit=credit,
            )
        )

    # -- the model's own entries ---------------------------------------------------

    def _wrote(self, entry_id: int, kind: StoredValueKind, amount: int) -> None:
        """An entry a rule wrote itself: the model knows its amount before reading it."""
        self.entries[entry_id] = ModelEntry(kind, amount)

    def _learn(self) -> None:
        """Entries written since the last step: those the model wrote must be as it says,
        the others (a checkout's) are learnt by id, kind and amount."""

        async def since(seen: int) -> list[Any]:
            async with self.ctx.read() as s:
                stmt = (
                    select(
                        LedgerEntry.id,
                        StoredValueAccount.kind,
                        LedgerEntry.amount,
                        LedgerEntry.reverses_entry_id,
                        (LedgerEntry.ticket_id.is_not(None))
                        | (LedgerEntry.appointment_id.is_not(None)),
                    )
                    .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
                    .where(LedgerEntry.id > seen)
                    .order_by(LedgerEntry.id)
                )
                return list((await s.execute(stmt)).all())

        for entry_id, kind, amount, reverses, owned in self.run(since(self.seen)):
            found = ModelEntry(StoredValueKind(kind), amount, reverses, owned=bool(owned))
            known = self.entries.setdefault(entry_id, found)
            assert (known.kind, known.amount, known.reverses) == (found.kind, amount, reverses)
            known.owned = found.owned
            if reverses is not None:
                self.entries[reverses].reversed_by = entry_id
            self.seen = entry_id

    def _balance(self, kind: StoredValueKind) -> int:
        """The model's balance of the client's one account of `kind`, in its entries' unit."""
        return {
            StoredValueKind.WALLET_MONEY: int(self.wallet * 100),
            StoredValueKind.ACCOUNT_MONEY: int(self.account * 100),
            StoredValueKind.PREPAID_VISITS: self.visits,
            StoredValueKind.PRODUCT_UNITS: self.units,
        }[kind]

    def _move(self, kind: StoredValueKind, amount: int) -> None:
        if kind is StoredValueKind.WALLET_MONEY:
            self.wallet += D(amount) / 100
        elif kind is StoredValueKind.ACCOUNT_MONEY:
            self.account += D(amount) / 100
        elif kind is StoredValueKind.PREPAID_VISITS:
            self.visits += amount
        else:
            self.units += amount

    def _refusal(self, target: ModelEntry) -> type[DomainError] | None:
        """What `reverse_entry` must refuse this entry with, if anything."""
        if target.reverses is not None or target.owned:
            return NotReversible  # undone by a new adjustment, its refund, its add-on
        if target.reversed_by is not None:
            return AlreadyReversed
        undo = -target.amount
        # Owed account money may go further into "owed"; nothing else goes below zero.
        may_owe = target.kind is StoredValueKind.ACCOUNT_MONEY
        if not may_owe and undo < 0 and self._balance(target.kind) + undo < 0:
            return InsufficientBalance
        return None

    def _ids(self, keep: Any) -> list[int]:
        return sorted(i for i, e in self.entries.items() if keep(e))

    def _reverse(self, target_id: int) -> None:
        """Reverse one entry; the model says beforehand whether it must be refused."""
        self._learn()
        target = self.entries[target_id]
        refusal = self._refusal(target)
        before = self.run(ledger_rows(self.ctx))
        try:
            entry = self.run(
                Desk(self.manager).balances.reverse_entry(target_id, "sm reversal", key=new_key())
            )
        except (AlreadyReversed, InsufficientBalance, NotReversible) as exc:
            assert type(exc) is refusal, (refusal, exc)
            assert self.run(ledger_rows(self.ctx)) == before  # nothing written
            return
        assert refusal is None, f"expected {refusal.__name__}, the reversal went through"
        undo = -target.amount
        shown = D(undo) / 100 if target.kind in MONEY else D(undo)
        assert (entry.reverses_entry_id, entry.amount) == (target_id, shown)
        self._move(target.kind, undo)
        self.entries[entry.id] = ModelEntry(target.kind, undo, reverses=target_id)
        target.reversed_by = entry.id
        self._learn()

    # -- reversals -------------------------------------------------------------------

    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick: int) -> None:
        self._learn()
        ids = sorted(self.entries)
        if ids:
            self._reverse(ids[pick % len(ids)])

    @precondition(lambda self: any(e.reverses is not None for e in self.entries.values()))
    @rule(pick=st.integers(0, 10_000))
    def reverse_a_reversal(self, pick: int) -> None:
        ids = self._ids(lambda e: e.reverses is not None)
        self._reverse(ids[pick % len(ids)])

    @precondition(lambda self: any(e.reversed_by is not None for e in self.entries.values()))
    @rule(pick=st.integers(0, 10_000))
    def reverse_again(self, pick: int) -> None:
        ids = self._ids(lambda e: e.reverses is None and e.reversed_by is not None)
        self._reverse(ids[pick % len(ids)])

    @rule(pick=st.integers(0, 10_000))
    def reverse_what_was_spent(self, pick: int) -> None:
        """A credit whose money, units or visits are partly gone: refused."""
        self._learn()
        ids = self._ids(lambda e: self._refusal(e) is InsufficientBalance)
        if ids:
            self._reverse(ids[pick % len(ids)])

    @rule(missing=st.booleans(), reason=st.sampled_from(["", "   "]))
    def reverse_refused_outright(self, missing: bool, reason: str) -> None:
        """No such entry, or no reason given: refused before anything is read or written."""
        self._learn()
        before = self.run(ledger_rows(self.ctx))
        if missing:
            try:
                missing_id = self.seen + 1_000
                self.run(
                    Desk(self.manager).balances.reverse_entry(
                        missing_id, "sm reversal", key=new_key()
                    )
                )
            except NotFound:
                pass
            else:
                raise AssertionError("reversing an entry that does not exist went through")
        elif self.entries:
            try:
                self.run(
                    Desk(self.manager).balances.reverse_entry(
                        min(self.entries), reason, key=new_key()
                    )
                )
            except ValidationError as exc:
                assert exc.field == "reason"
            else:
                raise AssertionError("a reversal without a reason went through")
        assert self.run(ledger_rows(self.ctx)) == before

    @precondition(lambda self: bool(self.entries))
    @rule(pick=st.integers(0, 10_000))
    def front_desk_may_not_reverse(self, pick: int) -> None:
        """Reversing needs "reverse entries", which front desk does not hold."""
        ids = sorted(self.entries)
        before = self.run(ledger_rows(self.ctx))
        try:
            self.run(
                Desk(self.desk).balances.reverse_entry(ids[pick % len(ids)], "sm", key=new_key())
            )
        except PermissionDenied as exc:
            assert exc.permission == "reverse entries"
        else:
            raise AssertionError("front desk reversed an entry")
        assert self.run(ledger_rows(self.ctx)) == before

    @invariant()
    def ledger_is_consistent(self) -> None:
        if not hasattr(self, "w"):
            return
        self.run(assert_ledger_consistent(self.ctx))
        self._learn()
        summary = self.run(Desk(self.ctx).clients.summary(self.w.client))
        assert summary.wallet_balance == self.wallet
        assert summary.account_balance == self.account
        assert sum(p.visits for p in summary.prepaid) == self.visits
        assert sum(b.units for b in summary.banked) == self.units
        if not self.wallet_may_be_negative:
            assert summary.wallet_balance >= 0


LedgerMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_ledger_state_machine = LedgerMachine.TestCase
