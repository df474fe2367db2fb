"""Random sequences of everything that moves stored value, on SQLite.

After every step: each account's cached balance equals the sum of its entries,
balance_after runs, units and visits are never negative, the wallet is never negative
unless a permitted adjustment took it there, and every checkout balances
(paid + stored value used = total due). A model of the expected balances is checked
against the services' own summaries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import shutil
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import LedgerEntry
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import AlreadyReversed, DomainError, InsufficientBalance
from frontdesk.services import stored_value as sv
from frontdesk.services.addons import add_to_service
from frontdesk.services.checkout import checkout
from frontdesk.services.clients import client_summary
from frontdesk.services.context import ServiceContext
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import make_appointment
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
_keys = itertools.count()


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
        self.entry_ids: list[int] = []

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
        result = self.run(checkout(self.desk, generous))
        assert result.paid_plus_stored == result.total
        self.wallet -= result.wallet_applied
        self.account -= result.account_credit_applied

    @rule(delta=st.integers(-80, 120).filter(lambda n: n != 0), manager=st.booleans())
    def adjust_wallet(self, delta: int, manager: bool) -> None:
        ctx = self.manager if manager else self.desk
        try:
            change = self.run(
                sv.adjust_wallet(ctx, self.w.client, D(delta), "sm adjust", allow_negative=manager)
            )
        except InsufficientBalance:
            assert not manager and delta < 0 and self.wallet + delta < 0
            return
        if delta < 0 and self.wallet + delta < 0:
            assert manager
            self.wallet_may_be_negative = True
        self.wallet += delta
        self.entry_ids.append(change.entry.id)

    @rule(amount=st.integers(1, 200), kind=st.sampled_from(["credit", "charge", "pay"]))
    def account_balance(self, amount: int, kind: str) -> None:
        if kind == "credit":
            change = self.run(sv.issue_account_credit(self.desk, self.w.client, D(amount), "sm"))
            self.account += amount
        elif kind == "charge":
            change = self.run(sv.charge_account(self.desk, self.w.client, D(amount), "sm"))
            self.account -= amount
        else:
            change = self.run(sv.pay_balance(self.desk, self.w.client, D(amount), "cash"))
            self.account += amount
        self.entry_ids.append(change.entry.id)

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
            result = self.run(checkout(self.desk, data))
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
                add_to_service(
                    self.desk,
                    appt.id,
                    [AddonSelection(self.w.botox, use, buy, expected_owned=self.units)],
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

    @rule(pick=st.integers(0, 10_000))
    def reverse(self, pick: int) -> None:
        async def entries() -> list[LedgerEntry]:
            async with self.ctx.read() as s:
                return list(
                    (await s.execute(select(LedgerEntry).order_by(LedgerEntry.id))).scalars()
                )

        rows = self.run(entries())
        if not rows:
            return
        target = rows[pick % len(rows)]
        try:
            self.run(sv.reverse_entry(self.desk, target.id, "sm reversal"))
        except (AlreadyReversed, InsufficientBalance):
            return
        summary = self.run(client_summary(self.ctx, self.w.client))
        self.wallet = summary.wallet_balance
        self.account = summary.account_balance
        self.visits = sum(p.visits for p in summary.prepaid)
        self.units = sum(b.units for b in summary.banked)

    @invariant()
    def ledger_is_consistent(self) -> None:
        if not hasattr(self, "w"):
            return
        self.run(assert_ledger_consistent(self.ctx))
        summary = self.run(client_summary(self.ctx, self.w.client))
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
