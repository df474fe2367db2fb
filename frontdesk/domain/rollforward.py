"""The stored-value roll-forward: opening + issued − spent ± adjustments ± reversals ±
refunds ± merges = closing, per kind (and location), exactly to the minor unit.

docs/rules.md#the-ledger, L12-L14. Pure: the service reads, per account and reason, the
signed sums of entries before the opening instant, within the period and before the
closing instant; everything here is integer arithmetic on those sums.

Opening and closing are the *balance*: the signed sum of every entry up to the instant,
owed account money (a negative balance) included, because only that makes the identity
exact (an account that goes from −£10 to +£5 moved £15, of which only £5 is a
liability). The liability rule (L8: accounts with a positive balance only) and what
clients owe (the negative balances) are shown beside it: balance = liability − owed.

Every reason falls in exactly one column, whatever its sign: each column is the signed
sum of its entries (spent is shown as the amount taken out, so it is subtracted), so a
reason's odd entry (a positive "use" from an old import) still lands in its own column and
the identity holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from frontdesk.domain.business_day import day_start
from frontdesk.domain.ledger import Reason, StoredValueKind


class Column(StrEnum):
    """A roll-forward column; its value says how the report heads it."""

    ISSUED = "issued"
    SPENT = "spent"
    ADJUSTMENTS = "adjustments"
    REVERSALS = "reversals"
    REFUNDS = "refunds"
    MERGES = "merges"


# What each reason does to a balance, as a person reading the report means it:
# issued puts value in (sold, banked, credited, paid in, renewal credit), spent takes it
# out (used, redeemed, spent at checkout, charged to the account as owed).
COLUMN_OF: Final[Mapping[Reason, Column]] = {
    Reason.SALE: Column.ISSUED,
    Reason.BANK: Column.ISSUED,
    Reason.CREDIT: Column.ISSUED,
    Reason.PAYMENT: Column.ISSUED,
    Reason.RENEWAL: Column.ISSUED,
    Reason.USE: Column.SPENT,
    Reason.REDEEM: Column.SPENT,
    Reason.CHECKOUT_SPEND: Column.SPENT,
    Reason.CHARGE: Column.SPENT,
    Reason.ADJUST: Column.ADJUSTMENTS,
    Reason.REVERSAL: Column.REVERSALS,
    Reason.REFUND: Column.REFUNDS,
    Reason.MERGE: Column.MERGES,
}


# How the reports list the kinds: money first, as the day report and the profile do.
KIND_ORDER: Final = (
    StoredValueKind.WALLET_MONEY,
    StoredValueKind.ACCOUNT_MONEY,
    StoredValueKind.PREPAID_VISITS,
    StoredValueKind.PRODUCT_UNITS,
)


def column_of(code: str) -> Column:
    """The column of a stored reason code. A code no version of frontdesk writes (another
    tool's) is an adjustment: it still moved the balance, so dropping it would break the
    identity."""
    try:
        return COLUMN_OF[Reason(code)]
    except ValueError:
        return Column.ADJUSTMENTS


def day_bounds(
    first: dt.date, last: dt.date, tz: dt.tzinfo | None
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants that open `first` and close `last` (inclusive) in the local time
    zone `tz` (None: this machine's, as the desk's date and its receipts use): the start
    of `first` and the start of the day after `last`. An entry is in the period when
    start ≤ created_at < end."""
    if last < first:
        raise ValueError("the period ends before it starts")
    return day_start(first, tz), day_start(last + dt.timedelta(days=1), tz)


@dataclass(frozen=True, slots=True)
class AccountSums:
    """One account's entries of one reason: signed sums (units, visits or minor units)
    before the opening instant, within the period, and before the closing instant."""

    account_id: int
    kind: StoredValueKind
    location_id: int | None
    unit_value: int  # minor units per unit or visit; 1 for money
    reason: str
    before: int
    during: int
    upto: int


@dataclass(slots=True)
class RollLine:
    """One kind at one location (None: clients with no home location), in minor units."""

    kind: StoredValueKind
    location_id: int | None
    opening: int = 0
    closing: int = 0
    moves: dict[Column, int] = field(default_factory=lambda: dict.fromkeys(Column, 0))
    opening_liability: int = 0
    closing_liability: int = 0
    opening_owed: int = 0  # what clients owed (negative balances), as a positive amount
    closing_owed: int = 0

    @property
    def spent(self) -> int:
        """Taken out, as a positive amount (the column is subtracted)."""
        return -self.moves[Column.SPENT]

    @property
    def difference(self) -> int:
        """What the identity misses by: 0 on every line of a whole ledger."""
        return self.opening + sum(self.moves.values()) - self.closing


def roll_forward(rows: Iterable[AccountSums]) -> list[RollLine]:
    """Sum the accounts' rows into one line per kind and location, ordered by kind then
    location (no home location last). Closing is summed from the entries before the
    closing instant, never as opening + moves, so `difference` is a real check."""
    lines: dict[tuple[StoredValueKind, int | None], RollLine] = {}
    accounts: dict[int, tuple[RollLine, int, int, int]] = {}
    for row in rows:
        line = lines.setdefault((row.kind, row.location_id), RollLine(row.kind, row.location_id))
        value = row.unit_value
        line.opening += row.before * value
        line.closing += row.upto * value
        line.moves[column_of(row.reason)] += row.during * value
        _, before, upto, _ = accounts.get(row.account_id, (line, 0, 0, value))
        accounts[row.account_id] = (line, before + row.before, upto + row.upto, value)
    for line, before, upto, value in accounts.values():
        line.opening_liability += max(before, 0) * value
        line.opening_owed += max(-before, 0) * value
        line.closing_liability += max(upto, 0) * value
        line.closing_owed += max(-upto, 0) * value
    return sorted(
        lines.values(),
        key=lambda ln: (KIND_ORDER.index(ln.kind), ln.location_id is None, ln.location_id or 0),
    )
