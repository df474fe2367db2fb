"""Read models of the ledger reports: liability as of a day, the roll-forward between two
days (docs/rules.md, L12-L14) and commissions per staff for a period (K5).

Amounts are `Decimal` in the store's currency; visits and units are valued at the sale
value of one recorded on their account (L8), so every kind adds up in money.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.views import InStoreMoney, View

NO_HOME = "no home location"

KIND_LABELS = {
    StoredValueKind.WALLET_MONEY: "Beauty Bank",
    StoredValueKind.ACCOUNT_MONEY: "Account balance",
    StoredValueKind.PREPAID_VISITS: "Prepaid visits",
    StoredValueKind.PRODUCT_UNITS: "Banked units",
}


class LiabilityLine(View):
    """One kind at one location (the clients' home location) at the end of the day."""

    kind: StoredValueKind
    location_id: int | None
    location_name: str
    balance: Decimal  # signed: every account's balance, owed money included
    liability: Decimal  # L8: accounts whose balance is positive
    owed: Decimal  # what clients owe (negative balances), as a positive amount


class LiabilityReport(InStoreMoney):
    on: dt.date
    as_of: dt.datetime  # the UTC instant that closes `on` in the store's local day
    lines: tuple[LiabilityLine, ...]

    def liability(self, kind: StoredValueKind | None = None) -> Decimal:
        mine = (ln.liability for ln in self.lines if kind is None or ln.kind is kind)
        return sum(mine, from_minor(0, self.currency))


class RollForwardLine(View):
    """opening + issued − spent + adjustments + reversals + refunds + merges = closing."""

    kind: StoredValueKind
    location_id: int | None
    location_name: str
    opening: Decimal
    issued: Decimal
    spent: Decimal  # taken out, as a positive amount
    adjustments: Decimal
    reversals: Decimal
    refunds: Decimal
    merges: Decimal
    closing: Decimal
    opening_liability: Decimal
    closing_liability: Decimal
    opening_owed: Decimal
    closing_owed: Decimal

    @property
    def difference(self) -> Decimal:
        """What the identity misses by; zero on every line of a whole ledger."""
        moved = self.issued - self.spent + self.adjustments + self.reversals
        return self.opening + moved + self.refunds + self.merges - self.closing


class RollForwardReport(InStoreMoney):
    first: dt.date
    last: dt.date
    opens_at: dt.datetime  # UTC: the start of `first` in the store's local day
    closes_at: dt.datetime  # UTC: the end of `last`
    lines: tuple[RollForwardLine, ...]

    def total(self, kind: StoredValueKind) -> RollForwardLine:
        """The kind over every location: the lines' sums (each column is additive)."""
        mine = [ln for ln in self.lines if ln.kind is kind]
        sums = {
            name: sum((getattr(ln, name) for ln in mine), from_minor(0, self.currency))
            for name in RollForwardLine.model_fields
            if name not in ("kind", "location_id", "location_name")
        }
        return RollForwardLine(kind=kind, location_id=None, location_name="all", **sums)

    @property
    def reconciles(self) -> bool:
        return all(ln.difference == 0 for ln in self.lines)


class CommissionLine(View):
    """One commission row, traceable to its ticket and line."""

    commission_id: int
    at: dt.datetime
    ticket_id: int
    ticket_line_id: int
    description: str
    line_kind: str  # the ticket line's kind: service, prepaid_sale, prepaid_redeem...
    # service | sale | redeem as earned at checkout; reversal: the ticket was refunded
    kind: str
    amount: Decimal
    refunded: bool  # the ticket has been refunded (its reversal row may be in another period)


class StaffCommission(View):
    staff_id: int
    staff_name: str
    lines: tuple[CommissionLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0))


class CommissionReport(InStoreMoney):
    first: dt.date
    last: dt.date
    system: str  # the store's system now; each row kept what it earned when written
    location_id: int | None
    staff: tuple[StaffCommission, ...]

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.staff), from_minor(0, self.currency))
