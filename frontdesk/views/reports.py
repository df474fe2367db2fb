"""Read models of the reports (issue 17): the day report (Z report) and its parts.

Amounts are `Decimal` in the store's currency (the report carries its currency and
locale); counts of visits and units are ints. Every total here is the exact sum of the
rows above it, and `DayReport.check` shows the takings adding up to the tenders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.views import InStoreMoney, View


class TenderTakings(View):
    """One tender's takings: card and other as handed over, cash net of change; refunds
    paid back by that method are already taken off (`refunded` says how much)."""

    method: str
    taken: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.taken - self.refunded


class StaffTakings(View):
    """The tickets a staff member completed that day: how many, what they came to after
    discounts (before Beauty Bank and account credit)."""

    staff_id: int | None
    name: str
    tickets: int
    total: Decimal


class HourTakings(View):
    """Net tenders taken in one hour of the desk's clock (hour 14 = 14:00-14:59)."""

    hour: int
    amount: Decimal


class RefundLine(View):
    """A ticket refunded that day: what went back in tenders and in stored value."""

    ticket_id: int
    refunded_at: dt.datetime
    total: Decimal
    tenders_back: Decimal
    wallet_back: Decimal
    account_credit_back: Decimal
    reason: str


class MovementLine(View):
    """One kind of stored value's day: in, out, corrections (refunds, reversals, merges,
    signed) and net = in − out + corrections. Visits and units also count themselves;
    their amounts are at the sale value of one visit or unit."""

    line: str
    in_word: str
    out_word: str
    count_in: int
    count_out: int
    amount_in: Decimal
    amount_out: Decimal
    corrections: Decimal
    net: Decimal
    counted: bool  # visits and units: the counts mean something


class TakingsCheckView(View):
    """The check on the report's face (`frontdesk.domain.day_report.TakingsCheck`)."""

    sales: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    wallet: Decimal
    account_credit: Decimal
    balance_payments: Decimal
    refunds: Decimal
    expected: Decimal
    tenders: Decimal
    reconciles: bool


class DrawerMove(View):
    """A cash in or a paid out on a drawer that day, with its reason."""

    kind: str  # "cash in" | "paid out"
    amount: Decimal
    reason: str


class DrawerLine(View):
    """One terminal's cash drawer that business day (docs/rules.md#cash-drawer)."""

    terminal: str
    location_name: str
    state: str  # open | closed
    float_amount: Decimal
    cash_in: Decimal
    paid_out: Decimal
    moves: tuple[DrawerMove, ...]
    # The last close: counted cash, what was expected then, counted − expected, the note.
    counted: Decimal | None = None
    expected: Decimal | None = None
    difference: Decimal | None = None
    note: str = ""


class DayReport(InStoreMoney):
    """The Z report of one business day at one location (None: the whole store)."""

    day: dt.date
    location_id: int | None
    location_name: str
    starts_at: dt.datetime  # UTC, included
    ends_at: dt.datetime  # UTC, excluded
    tickets: int
    tenders: tuple[TenderTakings, ...]
    by_staff: tuple[StaffTakings, ...]
    by_hour: tuple[HourTakings, ...]
    refunds: tuple[RefundLine, ...]
    movements: tuple[MovementLine, ...]
    check: TakingsCheckView
    # The stored value the tickets say they took, against what the ledger's checkout
    # spends of those tickets say: a second check, of the tickets against the ledger.
    ledger_wallet_spent: Decimal
    ledger_account_credit_spent: Decimal
    # The cash drawers of the day (an opened drawer is optional: none is no line).
    drawers: tuple[DrawerLine, ...] = ()

    @property
    def tenders_total(self) -> Decimal:
        return sum((t.net for t in self.tenders), start=Decimal(0))

    @property
    def stored_value_agrees(self) -> bool:
        return (self.ledger_wallet_spent, self.ledger_account_credit_spent) == (
            self.check.wallet,
            self.check.account_credit,
        )


class DayTakings(View):
    """Net tenders of one business day (the day report's tenders total)."""

    day: dt.date
    amount: Decimal


class DailyTakings(InStoreMoney):
    """Takings day by day over a period, every day listed (the Reports screen's chart)."""

    first: dt.date
    last: dt.date
    location_id: int | None
    days: tuple[DayTakings, ...]
